using BenchmarkDotNet.Attributes;
using OtpFunctions.Core;
using OtpFunctions.Delivery;
using OtpFunctions.Delivery.Templates;

namespace OtpFunctions.Benchmarks;

/// <summary>The queue hand-off (AES-GCM seal on send, open in the queue function) and the message template.</summary>
public class DeliveryBenchmarks
{
    private readonly DeliverySecret secret = new("+14155550100", "123456");
    private readonly Guid operationId = Guid.NewGuid();
    private readonly DateTimeOffset sentAt = DateTimeOffset.UtcNow;
    private DeliveryProtector protector = null!;
    private DeliveryEnvelope envelope = null!;
    private TemplateRenderer renderer = null!;

    [GlobalSetup]
    public void Setup()
    {
        protector = new DeliveryProtector(TestSecrets.Create());
        if (!DeliveryProtector.TryParse(protector.Seal("challenge-id", 1, operationId, sentAt, secret), out var parsed))
        {
            throw new InvalidOperationException("A sealed envelope did not parse.");
        }

        envelope = parsed!;
        renderer = new TemplateRenderer(TemplateCatalog.Load(null), "OTP");
    }

    [Benchmark]
    public string Seal() => protector.Seal("challenge-id", 1, operationId, sentAt, secret);

    [Benchmark]
    public DeliverySecret? TryOpen() => protector.TryOpen(envelope, out var opened) ? opened : null;

    [Benchmark]
    public RenderedMessage RenderSms() => renderer.Render(Channel.Sms, "login", "en", secret.Code, TimeSpan.FromMinutes(10));

    [Benchmark]
    public RenderedMessage RenderEmail() => renderer.Render(Channel.Email, "login", "fr", secret.Code, TimeSpan.FromMinutes(10));
}
