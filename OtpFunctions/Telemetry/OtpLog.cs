namespace OtpFunctions.Telemetry;

/// <summary>
/// Every log message of the service in one place, numbered by feature in the ranges below (5xxx is kept for
/// sessions; docs/monitoring.md lists every event). Parameters are challenge ids, masked destinations, counts and
/// reasons: no message here can carry a code, a full destination, an IP or a secret, except
/// <see cref="CodeForDevelopment"/>, which only the Development log provider writes.
/// </summary>
public static partial class OtpLog
{
    // 1xxx: API requests: sending, resending, verifying and canceling codes, and the callers that make them
    // (Sending/, Verifying/, Challenges/, Callers/).
    [LoggerMessage(1001, LogLevel.Information, "Code issued for challenge {ChallengeId} to {MaskedTo} for {Purpose} by caller {Caller} (superseded a pending code: {Superseded})")]
    public static partial void CodeIssued(ILogger logger, string challengeId, string maskedTo, string purpose, string caller, bool superseded);

    [LoggerMessage(1002, LogLevel.Information, "Code resent for challenge {ChallengeId} to {MaskedTo} by caller {Caller} (code version {CodeVersion})")]
    public static partial void CodeResent(ILogger logger, string challengeId, string maskedTo, string caller, int codeVersion);

    [LoggerMessage(1003, LogLevel.Information, "Challenge {ChallengeId} for {MaskedTo} verified")]
    public static partial void CodeVerified(ILogger logger, string challengeId, string maskedTo);

    [LoggerMessage(1004, LogLevel.Warning, "Challenge {ChallengeId} for {MaskedTo} locked after too many wrong codes")]
    public static partial void ChallengeLocked(ILogger logger, string challengeId, string maskedTo);

    [LoggerMessage(1005, LogLevel.Information, "Challenge {ChallengeId} for {MaskedTo} canceled")]
    public static partial void ChallengeCanceled(ILogger logger, string challengeId, string maskedTo);

    [LoggerMessage(1006, LogLevel.Information, "Request refused by the {Scope} limit; retry after {RetryAfterSeconds}s")]
    public static partial void RateLimited(ILogger logger, string scope, int retryAfterSeconds);

    [LoggerMessage(1007, LogLevel.Warning, "Challenge {ChallengeId} was sent but its Idempotency-Key answer could not be stored; retries with that key will be refused until it expires")]
    public static partial void IdempotencyNotRecorded(ILogger logger, string challengeId);

    [LoggerMessage(1008, LogLevel.Warning, "Request refused: its X-Api-Key matches no configured key")]
    public static partial void UnknownApiKey(ILogger logger);

    [LoggerMessage(1009, LogLevel.Information, "{Provider} bot check refused a token: {Reason}")]
    public static partial void BotCheckRefused(ILogger logger, string provider, string reason);

    [LoggerMessage(1010, LogLevel.Warning, "{Provider} bot check could not be completed ({Reason}); failing open: {FailOpen}")]
    public static partial void BotCheckUnavailable(ILogger logger, string provider, string reason, bool failOpen);

    [LoggerMessage(1051, LogLevel.Error, "{Provider} bot check refuses our configuration ({Reason}): every anonymous send is refused until Otp:BotCheck:Secret and SiteKey match the provider's")]
    public static partial void BotCheckMisconfigured(ILogger logger, string provider, string reason);

    // 2xxx: delivery: the queue function, providers, templates and delivery reports (Delivery/).
    [LoggerMessage(2001, LogLevel.Information, "Delivery of challenge {ChallengeId} to {MaskedTo} accepted by {Provider} as {ProviderMessageId}")]
    public static partial void DeliverySent(ILogger logger, string challengeId, string maskedTo, string provider, string? providerMessageId);

    [LoggerMessage(2002, LogLevel.Warning, "Delivery of challenge {ChallengeId} to {MaskedTo} by {Provider} failed for now (attempt {Attempt}): {Reason}")]
    public static partial void DeliveryTransient(ILogger logger, string challengeId, string maskedTo, string provider, int attempt, string? reason);

    [LoggerMessage(2003, LogLevel.Error, "Delivery of challenge {ChallengeId} to {MaskedTo} by {Provider} failed for good: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string challengeId, string maskedTo, string provider, string? reason);

    [LoggerMessage(2004, LogLevel.Information, "Delivery message for challenge {ChallengeId} dropped: {Reason}")]
    public static partial void DeliveryDropped(ILogger logger, string challengeId, string reason);

    [LoggerMessage(2005, LogLevel.Error, "A delivery message could not be read and was dropped: {Reason}")]
    public static partial void DeliveryMessageMalformed(ILogger logger, string reason);

    [LoggerMessage(2006, LogLevel.Information, "Delivery report for challenge {ChallengeId}: {Status} {Reason}")]
    public static partial void DeliveryReported(ILogger logger, string challengeId, string status, string? reason);

    [LoggerMessage(2007, LogLevel.Warning, "A delivery report names a message this service does not know (or no longer keeps)")]
    public static partial void DeliveryReportUnmatched(ILogger logger);

    [LoggerMessage(2008, LogLevel.Error, "Delivery of challenge {ChallengeId} to {MaskedTo} by {Provider} moved to the poison queue after {Attempts} attempts: {Reason}")]
    public static partial void DeliveryPoisoned(ILogger logger, string challengeId, string maskedTo, string provider, int attempts, string? reason);

    [LoggerMessage(2009, LogLevel.Information, "Development delivery via the log: {Channel} to {MaskedTo}: {Text}")]
    public static partial void CodeForDevelopment(ILogger logger, Channel channel, string maskedTo, string text);

    [LoggerMessage(2010, LogLevel.Warning, "SMS template {Locale}/{Purpose} renders to {Segments} {Encoding} segments ({Units} units); each segment is billed")]
    public static partial void SmsTemplateNeedsSegments(ILogger logger, string locale, string purpose, int segments, string encoding, int units);

    [LoggerMessage(2011, LogLevel.Warning, "SMTP delivery to {MaskedTo} failed: {Reason}")]
    public static partial void SmtpFailed(ILogger logger, string maskedTo, string reason);

    [LoggerMessage(2012, LogLevel.Information, "Delivery providers: SMS via {SmsProvider}, email via {EmailProvider}; templates from {TemplateSource}")]
    public static partial void ProvidersReady(ILogger logger, string smsProvider, string emailProvider, string templateSource);

    // 21xx: the phone channels' fallback and voice calls (Delivery/, Delivery/Voice/).
    [LoggerMessage(2101, LogLevel.Warning, "Delivery of challenge {ChallengeId} to {MaskedTo} failed on {Failed}: falling back to {Next}")]
    public static partial void DeliveryFallingBack(ILogger logger, string challengeId, string maskedTo, string failed, string next);

    [LoggerMessage(2102, LogLevel.Warning, "Delivery of challenge {ChallengeId} to {MaskedTo} cannot fall back to {Next}: {Reason}")]
    public static partial void DeliveryFallbackRefused(ILogger logger, string challengeId, string maskedTo, string next, string reason);

    [LoggerMessage(2103, LogLevel.Warning, "Call automation callback for challenge {ChallengeId} refused: {Reason}")]
    public static partial void CallCallbackRefused(ILogger logger, string challengeId, string reason);

    [LoggerMessage(2104, LogLevel.Information, "Voice call for challenge {ChallengeId}: {Event} ({Outcome})")]
    public static partial void CallEvent(ILogger logger, string challengeId, string @event, string outcome);

    // 3xxx: sweeping expired rows (Sweeping/).
    [LoggerMessage(3001, LogLevel.Information, "Sweep deleted {Deleted} expired rows after reading {Read} rows from {IndexRows} due index entries")]
    public static partial void SweepCompleted(ILogger logger, int deleted, int read, int indexRows);

    // 4xxx: the host: storage, unexpected failures, start-up checks (Storage/, Http/, Configuration/).
    [LoggerMessage(4001, LogLevel.Warning, "Storage is not ready ({Reason}); trying again in {DelaySeconds}s")]
    public static partial void StorageNotReady(ILogger logger, string reason, double delaySeconds);

    [LoggerMessage(4002, LogLevel.Error, "Storage is unavailable; answering 503 for {Operation}")]
    public static partial void StorageUnavailable(ILogger logger, Exception exception, string operation);

    [LoggerMessage(4003, LogLevel.Error, "Unexpected failure in {Operation}")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception, string operation);

    [LoggerMessage(4004, LogLevel.Warning, "Development: {Keys} not configured; random keys are used until the process stops, so codes and sessions do not survive a restart")]
    public static partial void DevelopmentSecretsGenerated(ILogger logger, string keys);

    [LoggerMessage(4005, LogLevel.Warning, "Codes are easy to guess: Otp:CodeLength={CodeLength} with Otp:MaxVerifyAttempts={MaxVerifyAttempts} and Otp:MaxFailuresPerDestination={MaxFailures} lets a guesser win one code with probability {PerCode:G3} and one destination per Otp:FailureWindow with {PerDestination:G3}, above {Threshold:G3}; use more digits or fewer attempts")]
    public static partial void GuessableCodes(ILogger logger, int codeLength, int maxVerifyAttempts, int maxFailures, double perCode, double perDestination, double threshold);

    // 6xxx: webhooks to app backends (Webhooks/).
    [LoggerMessage(6001, LogLevel.Information, "Webhook {MessageId} ({Type}) accepted by endpoint {Endpoint} on attempt {Attempt}")]
    public static partial void WebhookDelivered(ILogger logger, string messageId, string type, string endpoint, int attempt);

    [LoggerMessage(6002, LogLevel.Warning, "Webhook {MessageId} ({Type}) to endpoint {Endpoint} failed on attempt {Attempt} ({Reason}); trying again in {DelaySeconds}s")]
    public static partial void WebhookRetrying(ILogger logger, string messageId, string type, string endpoint, int attempt, string reason, int delaySeconds);

    [LoggerMessage(6003, LogLevel.Error, "Webhook {MessageId} ({Type}) to endpoint {Endpoint} moved to the poison queue after {Attempts} attempts: {Reason}")]
    public static partial void WebhookPoisoned(ILogger logger, string messageId, string type, string endpoint, int attempts, string reason);

    [LoggerMessage(6004, LogLevel.Error, "Webhook {MessageId} ({Type}) for endpoint {Endpoint} could not be queued and is lost: {Reason}")]
    public static partial void WebhookNotQueued(ILogger logger, string messageId, string type, string endpoint, string reason);

    [LoggerMessage(6005, LogLevel.Warning, "Webhook message {MessageId} for endpoint {Endpoint} dropped: {Reason}")]
    public static partial void WebhookDropped(ILogger logger, string messageId, string endpoint, string reason);

    [LoggerMessage(6051, LogLevel.Error, "A webhook queue message was dropped unsigned: {Reason}. Only this service, with its Otp:Secrets:EncryptionKey, writes messages that open; anything else on the queue is forged, altered or sealed under a retired key")]
    public static partial void WebhookMessageRefused(ILogger logger, string reason);

    // 7xxx: Entra External ID's OTP send (Entra/).
    [LoggerMessage(7001, LogLevel.Warning, "Entra OTP send refused with 401: {Reason}")]
    public static partial void EntraTokenRefused(ILogger logger, string reason);

    [LoggerMessage(7002, LogLevel.Error, "Entra's OpenID metadata at {MetadataAddress} could not be read ({Reason}); Entra OTP sends answer 503 until it can")]
    public static partial void EntraMetadataUnavailable(ILogger logger, string metadataAddress, string reason);

    [LoggerMessage(7003, LogLevel.Information, "Entra code for {MaskedTo} queued for delivery as challenge {ChallengeId} (locale {Locale}, Entra correlation id {CorrelationId})")]
    public static partial void EntraCodeRelayed(ILogger logger, string challengeId, string maskedTo, string locale, Guid? correlationId);

    // 8xxx: the fraud guard (Fraud/). A prefix is a calling code and a few digits: never a whole number.
    [LoggerMessage(8001, LogLevel.Warning, "Fraud guard ({Mode}): prefix {Prefix} looks pumped, {Verified} of {Sends} judged sends verified; {Action} until {Until:o}")]
    public static partial void PrefixBlocked(ILogger logger, string mode, string prefix, int sends, int verified, string action, DateTimeOffset until);

    [LoggerMessage(8002, LogLevel.Warning, "Fraud guard: the block of prefix {Prefix} was lifted by an operator; it is judged afresh from now")]
    public static partial void PrefixLifted(ILogger logger, string prefix);

    [LoggerMessage(8003, LogLevel.Warning, "Fraud guard: a verification for prefix {Prefix} could not be counted: {Reason}")]
    public static partial void VerificationNotCounted(ILogger logger, string prefix, string reason);

    // 9xxx: Supabase Auth's Send SMS and Send Email hooks (Supabase/).
    [LoggerMessage(9001, LogLevel.Warning, "Supabase {Hook} hook refused with 401: signature {Check}")]
    public static partial void SupabaseSignatureRefused(ILogger logger, string hook, string check);

    [LoggerMessage(9002, LogLevel.Warning, "Supabase {Hook} hook refused with {Status} {Error}: {Reason}")]
    public static partial void SupabaseHookRefused(ILogger logger, string hook, int status, string error, string reason);

    [LoggerMessage(9003, LogLevel.Information, "Supabase {Hook} code for {MaskedTo} queued for delivery as challenge {ChallengeId} (template {Template}, locale {Locale})")]
    public static partial void SupabaseCodeRelayed(ILogger logger, string hook, string challengeId, string maskedTo, string template, string locale);
}
