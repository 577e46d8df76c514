using Azure;
using Azure.Data.Tables;

namespace OtpFunctions.Challenges;

/// <summary>The table row of a challenge. Holds no code and no destination, only their keyed hashes and the mask.</summary>
internal sealed class ChallengeEntity : ITableEntity
{
    /// <summary>How long a finished challenge stays readable, so the status route can still say why it ended.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Channel { get; set; } = "";

    /// <summary>"WhatsApp,Voice": the enum's names, as <see cref="Channel"/> is stored; null for none, so other rows stay as they were.</summary>
    public string? Fallback { get; set; }

    public string Purpose { get; set; } = "";

    public string Locale { get; set; } = "";

    public string MaskedTo { get; set; } = "";

    public int? CallingCode { get; set; }

    public string SealedTo { get; set; } = "";

    public string CodeHash { get; set; } = "";

    public int CodeVersion { get; set; }

    public Guid OperationId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastSentAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string State { get; set; } = "";

    public string? SupersededBy { get; set; }

    public int FailedAttempts { get; set; }

    public DateTimeOffset? VerifiedAt { get; set; }

    /// <summary>Written only for relayed codes, so the rows of our own challenges stay as they were.</summary>
    public bool? Relayed { get; set; }

    /// <summary>Written only when a relayed code names its own template.</summary>
    public string? Template { get; set; }

    public DateTimeOffset PurgeAt { get; set; }

    public static ChallengeEntity From(Challenge challenge) => new()
    {
        PartitionKey = challenge.Id.PartitionKey,
        RowKey = challenge.Id.RowKey,
        ETag = challenge.ETag,
        Channel = challenge.Channel.ToString(),
        Fallback = challenge.Fallback.Count == 0 ? null : string.Join(',', challenge.Fallback),
        Purpose = challenge.Purpose,
        Locale = challenge.Locale,
        MaskedTo = challenge.MaskedTo,
        CallingCode = challenge.CallingCode,
        SealedTo = challenge.SealedTo,
        CodeHash = challenge.CodeHash,
        CodeVersion = challenge.CodeVersion,
        OperationId = challenge.OperationId,
        CreatedAt = challenge.CreatedAt,
        LastSentAt = challenge.LastSentAt,
        ExpiresAt = challenge.ExpiresAt,
        State = challenge.State.ToString(),
        SupersededBy = challenge.SupersededBy,
        FailedAttempts = challenge.FailedAttempts,
        VerifiedAt = challenge.VerifiedAt,
        Relayed = challenge.Relayed ? true : null,
        Template = challenge.Template,
        PurgeAt = challenge.ExpiresAt + Retention,
    };

    public static ChallengeEntity FromTableEntity(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        ETag = row.ETag,
        Channel = row.GetString(nameof(Channel)) ?? "",
        Fallback = row.GetString(nameof(Fallback)),
        Purpose = row.GetString(nameof(Purpose)) ?? "",
        Locale = row.GetString(nameof(Locale)) ?? "",
        MaskedTo = row.GetString(nameof(MaskedTo)) ?? "",
        CallingCode = row.GetInt32(nameof(CallingCode)),
        SealedTo = row.GetString(nameof(SealedTo)) ?? "",
        CodeHash = row.GetString(nameof(CodeHash)) ?? "",
        CodeVersion = row.GetInt32(nameof(CodeVersion)) ?? 0,
        OperationId = row.GetGuid(nameof(OperationId)) ?? Guid.Empty,
        CreatedAt = row.GetDateTimeOffset(nameof(CreatedAt)) ?? default,
        LastSentAt = row.GetDateTimeOffset(nameof(LastSentAt)) ?? default,
        ExpiresAt = row.GetDateTimeOffset(nameof(ExpiresAt)) ?? default,
        State = row.GetString(nameof(State)) ?? "",
        SupersededBy = row.GetString(nameof(SupersededBy)),
        FailedAttempts = row.GetInt32(nameof(FailedAttempts)) ?? 0,
        VerifiedAt = row.GetDateTimeOffset(nameof(VerifiedAt)),
        Relayed = row.GetBoolean(nameof(Relayed)),
        Template = row.GetString(nameof(Template)),
        PurgeAt = row.GetDateTimeOffset(nameof(PurgeAt)) ?? default,
    };

    public Challenge ToChallenge() => new()
    {
        Id = new ChallengeId(PartitionKey, RowKey),
        Channel = Enum.Parse<Channel>(Channel),
        Fallback = string.IsNullOrEmpty(Fallback) ? [] : Fallback.Split(',').Select(Enum.Parse<Channel>).ToArray(),
        Purpose = Purpose,
        Locale = Locale,
        MaskedTo = MaskedTo,
        CallingCode = CallingCode,
        SealedTo = SealedTo,
        CodeHash = CodeHash,
        CodeVersion = CodeVersion,
        OperationId = OperationId,
        CreatedAt = CreatedAt,
        LastSentAt = LastSentAt,
        ExpiresAt = ExpiresAt,
        State = Enum.Parse<ChallengeState>(State),
        SupersededBy = SupersededBy,
        FailedAttempts = FailedAttempts,
        VerifiedAt = VerifiedAt,
        Relayed = Relayed == true,
        Template = Template,
        ETag = ETag,
    };
}
