using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Configuration;

namespace OtpFunctions.Sweeping;

/// <summary>Removes expired challenges, sessions, limits and idempotency records on a schedule.</summary>
public sealed class SweepFunction(Sweeper sweeper)
{
    [Function("SweepExpired")]
    public Task Run([TimerTrigger("%" + SettingNames.SweepSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}
