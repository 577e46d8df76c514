namespace OtpFunctions.Webhooks;

/// <summary>How patiently an endpoint that does not answer 2xx is retried. Not configuration keys: the schedule is the documented one.</summary>
public sealed class WebhookRetryOptions
{
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; four times longer after each next one, at most <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Backoff(int failedAttempts) => ExponentialBackoff.After(failedAttempts, BaseDelay, factor: 4, MaxDelay);
}
