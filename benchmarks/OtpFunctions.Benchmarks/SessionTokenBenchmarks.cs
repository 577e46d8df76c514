using BenchmarkDotNet.Attributes;
using OtpFunctions.Core;
using OtpFunctions.Sessions;

namespace OtpFunctions.Benchmarks;

/// <summary>Signing the session JWT on verify, and checking it on every GET/DELETE /api/session.</summary>
public class SessionTokenBenchmarks
{
    private SessionTokens tokens = null!;
    private SessionRecord session = null!;
    private string token = null!;

    [GlobalSetup]
    public void Setup()
    {
        tokens = new SessionTokens(TestSecrets.Create(), Microsoft.Extensions.Options.Options.Create(new OtpFunctions.Configuration.OtpOptions()), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        session = new SessionRecord("AAAAAAAAAAAAAAAAAAAAAAtoken", "AAAAAAAAAAAAAAAAAAAAAA", "+1415*****00", Channel.Sms, "login", "challenge-id", now, now.AddHours(1));
        token = tokens.Issue(session);
    }

    [Benchmark]
    public string Issue() => tokens.Issue(session);

    [Benchmark]
    public async Task<bool> ValidateAsync() => await tokens.ValidateAsync(token) is not null;
}
