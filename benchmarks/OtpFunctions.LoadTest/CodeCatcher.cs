using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using OtpFunctions.Delivery;

namespace OtpFunctions.LoadTest;

/// <summary>Stands where SMS and email would be, handing each delivered code to whoever waits for it.</summary>
public sealed partial class CodeCatcher : IDeliveryProvider
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(string Code, long ArrivedAt)>> codes = new();

    public string Name => "load-test";

    public Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        Slot(request.ChallengeId).TrySetResult((Code().Match(request.Message.Text).Value, System.Diagnostics.Stopwatch.GetTimestamp()));
        return Task.FromResult(DeliveryOutcome.Sent("load-" + request.OperationId.ToString("N")));
    }

    /// <summary>The code of a challenge and the <see cref="System.Diagnostics.Stopwatch"/> timestamp it was handed to the provider.</summary>
    public async Task<(string Code, long ArrivedAt)> WaitForCodeAsync(string challengeId, TimeSpan timeout)
    {
        try
        {
            return await Slot(challengeId).Task.WaitAsync(timeout);
        }
        finally
        {
            codes.TryRemove(challengeId, out _);
        }
    }

    /// <summary>Waits until a challenge's code has arrived, leaving it for <see cref="WaitForCodeAsync"/>.</summary>
    public Task WaitForArrivalAsync(string challengeId, TimeSpan timeout) => Slot(challengeId).Task.WaitAsync(timeout);

    private TaskCompletionSource<(string Code, long ArrivedAt)> Slot(string challengeId) =>
        codes.GetOrAdd(challengeId, static _ => new TaskCompletionSource<(string Code, long ArrivedAt)>(TaskCreationOptions.RunContinuationsAsynchronously));

    [GeneratedRegex(@"\b\d{4,10}\b")]
    private static partial Regex Code();
}
