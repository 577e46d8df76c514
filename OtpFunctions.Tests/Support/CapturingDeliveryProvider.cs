using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using OtpFunctions.Delivery;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Stands where SMS and email would be: records what the queue function asked to send, so a test can read
/// the code a user would receive. Storage and the queue stay real.
/// </summary>
public sealed partial class CapturingDeliveryProvider : IDeliveryProvider
{
    private readonly ConcurrentQueue<DeliveryRequest> requests = new();

    public string Name => "capture";

    /// <summary>What the next sends answer; Sent unless a test says otherwise.</summary>
    public Func<DeliveryRequest, DeliveryOutcome> Respond { get; set; } = request => DeliveryOutcome.Sent("msg-" + request.OperationId.ToString("N"));

    public IReadOnlyCollection<DeliveryRequest> Requests => requests;

    public Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        requests.Enqueue(request);
        return Task.FromResult(Respond(request));
    }

    public IEnumerable<DeliveryRequest> For(string challengeId) => requests.Where(r => r.ChallengeId == challengeId);

    /// <summary>Waits for the <paramref name="nth"/> message of a challenge and returns the code in it.</summary>
    public async Task<string> WaitForCodeAsync(string challengeId, int nth = 1, TimeSpan? timeout = null)
    {
        var request = await Eventually.GetAsync(
            () => Task.FromResult(For(challengeId).Skip(nth - 1).FirstOrDefault()),
            found => found is not null,
            _ => $"no delivery #{nth} for challenge {challengeId} ({For(challengeId).Count()} so far)",
            timeout ?? TimeSpan.FromSeconds(20));
        return Code().Match(request!.Message.Text).Value;
    }

    [GeneratedRegex(@"\b\d{4,10}\b")]
    private static partial Regex Code();
}
