namespace OtpFunctions.Tests.Support;

/// <summary>
/// A local host that delivers through a <see cref="FakeAcsServer"/> instead of capturing messages in memory: the fake
/// starts first and stops last, and SMS goes through it as well, as the channel the others fall back to.
/// </summary>
public sealed class AcsDeliveryHost : IAsyncDisposable
{
    private AcsDeliveryHost(FakeAcsServer acs, OtpHost host)
    {
        Acs = acs;
        Host = host;
    }

    public FakeAcsServer Acs { get; }

    public OtpHost Host { get; }

    /// <summary>Starts the fake, then the host with SMS and <paramref name="channel"/>'s settings (given the fake) through it.</summary>
    public static async Task<AcsDeliveryHost> StartAsync(Func<FakeAcsServer, IDictionary<string, string?>> channel)
    {
        var acs = new FakeAcsServer();
        try
        {
            await acs.StartAsync();
            var settings = new Dictionary<string, string?>(channel(acs));
            foreach (var (key, value) in acs.SmsSettings())
            {
                settings[key] = value;
            }

            return new AcsDeliveryHost(acs, await OtpHost.StartAsync(settings, captureDelivery: false));
        }
        catch
        {
            await acs.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first request the fake received that <paramref name="matches"/>, waited for.</summary>
    public async Task<FakeAcsRequest> WaitForRequestAsync(Func<FakeAcsRequest, bool> matches) =>
        (await Eventually.GetAsync(() => Task.FromResult(Acs.Requests.FirstOrDefault(matches)), found => found is not null, _ => "no such request reached the fake ACS"))!;

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Acs.DisposeAsync();
    }
}
