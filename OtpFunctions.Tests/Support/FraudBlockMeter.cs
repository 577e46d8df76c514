using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace OtpFunctions.Tests.Support;

/// <summary>Listens to one host's <c>otp.fraud.blocks</c> only (its meter factory is the meter's scope), so test classes may run in parallel.</summary>
public sealed class FraudBlockMeter : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<string> modes = new();

    public FraudBlockMeter(OtpHost host)
    {
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, listening) =>
        {
            if (instrument.Name == "otp.fraud.blocks" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listening.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "mode")
                {
                    modes.Enqueue((string)tag.Value!);
                }
            }
        });
        listener.Start();
    }

    public int Count(string mode) => modes.Count(recorded => recorded == mode);

    public void Dispose() => listener.Dispose();
}
