namespace OtpFunctions.Configuration;

/// <summary>
/// Every configuration key the app reads, once: the sections options are bound from, and the keys that sit
/// outside them. Keys inside a section are the property names of its options class (<c>Otp:CodeLength</c> is
/// <see cref="OtpOptions.CodeLength"/>). The names are fixed by api.md, the Bicep app settings and
/// DeployedSettingsTests: rename one and a deployment silently loses the setting.
/// </summary>
public static class SettingNames
{
    /// <summary>Limits and lifetimes (<see cref="OtpOptions"/>), and the root of every <c>Otp:</c> key below.</summary>
    public const string Otp = "Otp";

    /// <summary>Storage: a connection string, or a section with <c>tableServiceUri</c>, <c>queueServiceUri</c> and <c>clientId</c> as the Functions host reads it.</summary>
    public const string StorageConnection = "OtpStorage";

    public const string StorageTable = "Otp:Storage:Table";

    /// <summary>
    /// Flat app settings that trigger bindings read as <c>%NAME%</c>: a flat name is what Linux app
    /// settings and the Flex scale controller resolve without translation.
    /// </summary>
    public const string DeliveryQueue = "OTP_DELIVERY_QUEUE";

    /// <summary>The sweeper's NCRONTAB schedule.</summary>
    public const string SweepSchedule = "OTP_SWEEP_SCHEDULE";

    public const string WebhookQueue = "OTP_WEBHOOK_QUEUE";

    public const string Secrets = "Otp:Secrets";

    public const string Delivery = "Otp:Delivery";

    public const string DeliveryRetry = "Otp:Delivery:Retry";

    /// <summary>Relative to <see cref="Otp"/>: the template settings sit beside <c>Otp:AppName</c>.</summary>
    public const string TemplatesPath = "Templates:Path";

    public const string TemplatesCodeInSubject = "Templates:CodeInSubject";

    public const string Webhooks = "Otp:Webhooks";

    public const string Entra = "Otp:Entra";

    public const string Supabase = "Otp:Supabase";

    public const string FraudGuard = "Otp:FraudGuard";

    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string TelemetryConsole = "Otp:Telemetry:Console";

    /// <summary>The section that holds the whole configuration: options bound from it name their keys in full.</summary>
    public const string Root = "";
}
