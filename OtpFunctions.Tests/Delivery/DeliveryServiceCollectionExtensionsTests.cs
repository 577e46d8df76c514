using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpFunctions.Delivery;
using OtpFunctions.Delivery.Acs;
using OtpFunctions.Delivery.Log;
using OtpFunctions.Delivery.Smtp;
using OtpFunctions.Delivery.Templates;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

public sealed class DeliveryServiceCollectionExtensionsTests
{
    [Fact]
    public async Task ReturnsLogProvidersGivenDevelopmentWithoutSettings()
    {
        using var host = Build(Environments.Development, []);
        await host.StartAsync();

        Assert.IsType<LogProvider>(host.Services.GetRequiredKeyedService<IDeliveryProvider>(Channel.Sms));
        Assert.IsType<LogProvider>(host.Services.GetRequiredKeyedService<IDeliveryProvider>(Channel.Email));
        Assert.NotNull(host.Services.GetRequiredService<TemplateRenderer>());
        await host.StopAsync();
    }

    [Fact]
    public async Task FailsStartWithClearMessageGivenLogInProduction()
    {
        using var host = Build(Environments.Production, new() { ["Otp:Delivery:Sms:Provider"] = "Log", ["Otp:Delivery:Email:Provider"] = "Log" });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Otp:Delivery:Sms:Provider=Log is only allowed in Development", exception.Failures);
    }

    [Fact]
    public async Task FailsStartWithFileNameGivenBrokenOverrideTemplate()
    {
        var folder = Directory.CreateTempSubdirectory("otp-templates-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "email", "en"));
            await File.WriteAllTextAsync(Path.Combine(folder, "email", "en", "login.subject.liquid"), "{{ code ");
            using var host = Build(Environments.Development, new() { ["Otp:Templates:Path"] = folder });

            var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

            Assert.Contains("login.subject.liquid", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ReturnsAcsAndSmtpProvidersGivenTheirSettings()
    {
        using var host = Build(Environments.Production, new()
        {
            ["Otp:Delivery:Sms:Provider"] = "Acs",
            ["Otp:Delivery:Sms:ConnectionString"] = "endpoint=https://contoso.communication.azure.com/;accesskey=c2VjcmV0LWtleQ==",
            ["Otp:Delivery:Sms:From"] = "+18005550199",
            ["Otp:Delivery:Email:Provider"] = "smtp",
            ["Otp:Delivery:Email:From"] = "OTP <otp@contoso.example>",
            ["Otp:Delivery:Email:Smtp:Host"] = "localhost",
            ["Otp:Delivery:Email:Smtp:Port"] = "2525",
        });
        await host.StartAsync();

        Assert.IsType<AcsSmsProvider>(host.Services.GetRequiredKeyedService<IDeliveryProvider>(Channel.Sms));
        Assert.IsType<SmtpProvider>(host.Services.GetRequiredKeyedService<IDeliveryProvider>(Channel.Email));
        await host.StopAsync();
    }

    [Fact]
    public async Task SendsWithRegisteredCredentialGivenEndpointOnly()
    {
        await using var server = new FakeAcsServer { BearerToken = "di-token" };
        await server.StartAsync();
        using var host = Build(Environments.Production, new()
        {
            ["Otp:Delivery:Sms:Provider"] = "Acs",
            ["Otp:Delivery:Sms:Endpoint"] = server.Endpoint.ToString(),
            ["Otp:Delivery:Sms:From"] = "+18005550199",
            ["Otp:Delivery:Email:Provider"] = "Acs",
            ["Otp:Delivery:Email:ConnectionString"] = server.ConnectionString,
            ["Otp:Delivery:Email:From"] = "DoNotReply@contoso.example",
        }, services => services.AddSingleton<TokenCredential>(new FakeTokenCredential("di-token")));
        await host.StartAsync();

        var sms = await host.Services.GetRequiredKeyedService<IDeliveryProvider>(Channel.Sms).SendAsync(DeliveryTestData.Sms(), CancellationToken.None);
        var email = await host.Services.GetRequiredKeyedService<IDeliveryProvider>(Channel.Email).SendAsync(DeliveryTestData.Mail(), CancellationToken.None);

        Assert.Equal(DeliveryOutcomeKind.Sent, sms.Kind);
        Assert.Equal(DeliveryOutcomeKind.Sent, email.Kind);
        Assert.Equal("Bearer di-token", server.Requests[0].Header("Authorization"));
        Assert.StartsWith("HMAC-SHA256 ", server.Requests[1].Header("Authorization"), StringComparison.Ordinal);
        await host.StopAsync();
    }

    private static IHost Build(string environment, Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        configure?.Invoke(builder.Services);
        builder.Services.AddOtpDelivery();
        return builder.Build();
    }
}
