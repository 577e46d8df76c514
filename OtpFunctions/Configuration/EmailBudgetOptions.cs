namespace OtpFunctions.Configuration;

/// <summary>The email channel's global budget under <c>Otp:Email</c>.</summary>
public sealed class EmailBudgetOptions
{
    /// <summary>Email sends for the whole service per <see cref="GlobalWindow"/>, a hard ceiling; 0 means none (Development only).</summary>
    public int MaxSendsGlobal { get; set; }

    public TimeSpan GlobalWindow { get; set; } = TimeSpan.FromHours(1);
}
