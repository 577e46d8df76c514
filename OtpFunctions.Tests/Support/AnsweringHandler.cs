using System.Net;

namespace OtpFunctions.Tests.Support;

/// <summary>An HTTP handler that answers in memory, for plain-object tests of classes that call out: no socket, no server.</summary>
public sealed class AnsweringHandler(HttpStatusCode status, string body) : HttpMessageHandler
{
    private readonly List<string> bodies = [];

    /// <summary>The bodies of the requests asked, in order.</summary>
    public IReadOnlyList<string> Asked
    {
        get
        {
            lock (bodies)
            {
                return [.. bodies];
            }
        }
    }

    /// <summary>Thrown instead of answering, as a refused connection or a reset throws.</summary>
    public Exception? Failure { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var asked = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (bodies)
        {
            bodies.Add(asked);
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        return new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
    }
}
