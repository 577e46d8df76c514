using System.Net;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Sits between a client and the real service and plays a network that misbehaves on cue: each try is recorded with
/// its headers, then <see cref="Script"/> decides whether it reaches the service, and whether its answer is lost.
/// </summary>
public sealed class ScriptedHandler : DelegatingHandler
{
    private readonly List<RecordedTry> tries = [];

    /// <summary>What to do with a try (given the try's number for its method and path, from 1); forward unless told otherwise.</summary>
    public Func<HttpRequestMessage, int, ScriptedOutcome> Script { get; set; } = (_, _) => ScriptedOutcome.Forward;

    public IReadOnlyList<RecordedTry> Tries
    {
        get
        {
            lock (tries)
            {
                return [.. tries];
            }
        }
    }

    public IEnumerable<RecordedTry> To(HttpMethod method, string pathEnd) =>
        Tries.Where(t => t.Method == method && t.Path.EndsWith(pathEnd, StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var recorded = new RecordedTry(request.Method, request.RequestUri!.AbsolutePath, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
        int nth;
        lock (tries)
        {
            tries.Add(recorded);
            nth = tries.Count(t => t.Method == recorded.Method && t.Path == recorded.Path);
        }

        var outcome = Script(request, nth);
        if (outcome.Answer is { } status)
        {
            var answer = new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent("""{"error":"unavailable","message":"scripted"}""", System.Text.Encoding.UTF8, "application/json") };
            answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return answer;
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (outcome.LoseAnswer)
        {
            response.Dispose();
            throw new HttpRequestException("scripted: the connection dropped after the service answered");
        }

        return response;
    }
}

public sealed record RecordedTry(HttpMethod Method, string Path, IReadOnlyDictionary<string, string> Headers);

/// <summary>Forward (and maybe lose the answer), or answer with a status without reaching the service.</summary>
public sealed record ScriptedOutcome(HttpStatusCode? Answer, bool LoseAnswer)
{
    public static readonly ScriptedOutcome Forward = new(null, false);

    public static readonly ScriptedOutcome ForwardThenDrop = new(null, true);

    public static ScriptedOutcome Answer503 { get; } = new(HttpStatusCode.ServiceUnavailable, false);
}
