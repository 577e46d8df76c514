using Microsoft.Extensions.Hosting;
using OtpFunctions.Delivery;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

public sealed class DeliveryOptionsValidatorTests
{
    private const string ConnectionString = "endpoint=https://contoso.communication.azure.com/;accesskey=c2VjcmV0LWtleQ==";

    [Fact]
    public void FailsGivenLogOutsideDevelopment()
    {
        var failures = Validate(Environments.Production, Options(sms: "Log", email: "log"));

        Assert.Contains("Otp:Delivery:Sms:Provider=Log is only allowed in Development", failures);
        Assert.Contains("Otp:Delivery:Email:Provider=Log is only allowed in Development", failures);
    }

    [Fact]
    public void FailsGivenNoProviderOutsideDevelopment()
    {
        var failures = Validate(Environments.Production, Options());

        Assert.Contains("Otp:Delivery:Sms:Provider is required outside Development (Acs or None)", failures);
        Assert.Contains("Otp:Delivery:Email:Provider is required outside Development (Acs or Smtp or None)", failures);
    }

    [Fact]
    public void SucceedsGivenNoneOutsideDevelopment() =>
        Assert.Empty(Validate(Environments.Production, Options(sms: "None", email: "None")));

    [Fact]
    public void SucceedsGivenLogInDevelopment() =>
        Assert.Empty(Validate(Environments.Development, Options(sms: "Log", email: "Log")));

    [Fact]
    public void FailsGivenUnknownProvider() =>
        Assert.Contains("Otp:Delivery:Sms:Provider must be Acs, None, Log, not 'Twilio'", Validate(Environments.Development, Options(sms: "Twilio", email: "Log")));

    [Fact]
    public void FailsGivenAcsWithoutCredentialsOrSender()
    {
        var failures = Validate(Environments.Production, Options(sms: "Acs", email: "Acs"));

        Assert.Contains("Otp:Delivery:Sms:ConnectionString or Otp:Delivery:Sms:Endpoint is required with Provider=Acs", failures);
        Assert.Contains("Otp:Delivery:Sms:From is required with Provider=Acs", failures);
        Assert.Contains("Otp:Delivery:Email:From is required with Provider=Acs", failures);
    }

    [Fact]
    public void FailsWithoutEchoingKeyGivenMalformedConnectionString()
    {
        var options = Options(sms: "Acs", email: "Log");
        options.Sms.ConnectionString = "endpoint=http://contoso.example/;accesskey=c2VjcmV0LWtleQ==";
        options.Sms.From = "+18005550199";

        var failure = Assert.Single(Validate(Environments.Development, options));

        Assert.StartsWith("Otp:Delivery:Sms:ConnectionString is invalid", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void SucceedsGivenAcsWithConnectionStringOrEndpoint()
    {
        var options = Options(sms: "Acs", email: "Acs");
        options.Sms.ConnectionString = ConnectionString;
        options.Sms.From = "+18005550199";
        options.Email.Endpoint = "https://contoso.communication.azure.com";
        options.Email.From = "DoNotReply@contoso.example";

        Assert.Empty(Validate(Environments.Production, options));
    }

    [Fact]
    public void FailsGivenSmtpWithoutHostOrSender()
    {
        var failures = Validate(Environments.Production, Options(sms: "Acs", email: "Smtp"));

        Assert.Contains("Otp:Delivery:Email:Smtp:Host is required with Provider=Smtp", failures);
        Assert.Contains("Otp:Delivery:Email:From is required with Provider=Smtp", failures);
    }

    [Theory]
    [InlineData("Production", "smtp.example.com", false, true)]
    [InlineData("Production", "smtp.example.com", true, false)]
    [InlineData("Production", "127.0.0.1", false, false)]
    [InlineData("Production", "localhost", false, false)]
    [InlineData("Production", "::1", false, false)]
    [InlineData("Development", "smtp.example.com", false, false)]
    public void RequiresSmtpTlsOutsideDevelopmentUnlessLoopback(string environment, string host, bool useTls, bool refused)
    {
        var options = Options(sms: "Acs", email: "Smtp");
        options.Sms.ConnectionString = ConnectionString;
        options.Sms.From = "+18005550199";
        options.Email.From = "otp@contoso.example";
        options.Email.Smtp = new OtpFunctions.Delivery.Smtp.SmtpSettings { Host = host, UseTls = useTls };

        var failures = Validate(environment, options).ToList();

        Assert.Equal(refused, failures.Any(f => f.StartsWith("Otp:Delivery:Email:Smtp:UseTls must be true outside Development unless Otp:Delivery:Email:Smtp:Host is loopback", StringComparison.Ordinal)));
        Assert.Equal(refused ? 1 : 0, failures.Count);
    }

    private static DeliveryOptions Options(string? sms = null, string? email = null) => new()
    {
        Sms = new SmsDeliveryOptions { Provider = sms },
        Email = new EmailDeliveryOptions { Provider = email },
    };

    private static IEnumerable<string> Validate(string environment, DeliveryOptions options) =>
        new DeliveryOptionsValidator(TestEnvironments.Named(environment)).Validate(null, options).Failures ?? [];
}
