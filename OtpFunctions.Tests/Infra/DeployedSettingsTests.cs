using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery;
using OtpFunctions.Security;
using OtpFunctions.Storage;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Infra;

/// <summary>
/// The app settings a deployment of infra/main.bicep gives the Function App, put through the app's own
/// start-up as Production: what Azure would run, short of the network. These catch what assertions on
/// single settings did not: a renamed trigger setting, a missing endpoint, an empty SMS sender.
/// </summary>
public sealed partial class DeployedSettingsTests
{
    [Fact]
    public void StartsAsProductionGivenDefaultDeployment()
    {
        var settings = DeployedApp.Settings();

        using var app = DeployedApp.Start(settings);

        var delivery = app.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal("Production", app.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
        Assert.Equal("None", delivery.Sms.Provider);
        Assert.Equal("Acs", delivery.Email.Provider);
        Assert.False(app.Services.GetRequiredService<OtpSecrets>().Generated);
    }

    [Fact]
    public void StartsWithAcsSmsGivenSenderNumber()
    {
        var settings = DeployedApp.Settings(new Dictionary<string, object?> { ["smsFrom"] = "+18005550100" });

        using var app = DeployedApp.Start(settings);

        var delivery = app.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal("Acs", delivery.Sms.Provider);
        Assert.Equal("+18005550100", delivery.Sms.From);
    }

    [Fact]
    public void StartsWithBotCheckSecretFromKeyVaultGivenProvider()
    {
        var settings = DeployedApp.Settings(new Dictionary<string, object?>
        {
            ["botCheckProvider"] = "Turnstile",
            ["botCheckSiteKey"] = "0x4AAAAAAA-site",
            ["botCheckHostnames"] = "app.example.com,*.example.com",
            ["botCheckSecret"] = "0x4AAAAAAA-secret-from-the-provider",
        });

        using var app = DeployedApp.Start(settings);

        // The secret reaches the app only through the Key Vault reference the platform resolves.
        Assert.Equal("0x4AAAAAAA-secret-from-the-provider", settings["Otp__BotCheck__Secret"]);
        Assert.Equal("Turnstile", app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Otp:BotCheck:Provider"]);
    }

    [Fact]
    public void AppliesSmsAbuseLimitsGivenTemplateParameters()
    {
        var settings = DeployedApp.Settings(new Dictionary<string, object?> { ["smsAllowedCountryCodes"] = "1,44", ["maxSmsPerHour"] = 250L, ["maxEmailsPerHour"] = 60L });

        using var app = DeployedApp.Start(settings);

        var options = app.Services.GetRequiredService<IOptions<OtpOptions>>().Value;
        Assert.Equal(["1", "44"], options.Sms.AllowedCountryCodes.Select(code => code.Trim()));
        Assert.Equal(250, options.MaxSendsGlobal);
        Assert.Equal((60, TimeSpan.FromHours(1)), (options.Email.MaxSendsGlobal, options.Email.GlobalWindow));
    }

    [Fact]
    public void LeavesWhatsAppAndVoiceNotConfiguredGivenDefaultDeployment()
    {
        using var app = DeployedApp.Start(DeployedApp.Settings());

        var channels = app.Services.GetRequiredService<DeliveryChannels>();
        Assert.False(channels.IsConfigured(Channel.WhatsApp));
        Assert.False(channels.IsConfigured(Channel.Voice));
    }

    [Fact]
    public void StartsWithAcsWhatsAppAndVoiceCalledBackOnTheAppsHostGivenTheirIds()
    {
        var settings = DeployedApp.Settings(new Dictionary<string, object?>
        {
            ["whatsAppChannelRegistrationId"] = "8b0d4c5e-1f2a-4b3c-9d8e-7f6a5b4c3d2e",
            ["voiceCallerId"] = "+18005550199",
            ["voiceCognitiveServicesEndpoint"] = "https://otp-speech.cognitiveservices.azure.com/",
        });

        using var app = DeployedApp.Start(settings);

        var delivery = app.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal(("Acs", "8b0d4c5e-1f2a-4b3c-9d8e-7f6a5b4c3d2e", "otp_code"), (delivery.WhatsApp.Provider, delivery.WhatsApp.ChannelRegistrationId, delivery.WhatsApp.TemplateName));
        Assert.Equal(("Acs", "+18005550199"), (delivery.Voice.Provider, delivery.Voice.From));
        // The managed identity, never an access key, for both.
        Assert.Null(delivery.WhatsApp.ConnectionString);
        Assert.Equal(settings["Otp__Delivery__Sms__Endpoint"], delivery.Voice.Endpoint);
        var publicUrl = app.Services.GetRequiredService<IOptions<OtpFunctions.Delivery.Voice.PublicUrlOptions>>().Value.PublicBaseUrl;
        Assert.Matches(@"^https://[a-z0-9-]+\.azurewebsites\.net$", publicUrl);
        Assert.True(app.Services.GetRequiredService<DeliveryChannels>().IsConfigured(Channel.Voice));
    }

    [Fact]
    public void RefusesToStartGivenSettingsWithoutAnEmailEndpoint()
    {
        // The check above can fail: the same start-up refuses the settings once one they need is gone.
        var settings = new Dictionary<string, string>(DeployedApp.Settings());
        settings.Remove("Otp__Delivery__Email__Endpoint");

        var exception = Assert.ThrowsAny<Exception>(() => DeployedApp.Start(settings).Dispose());

        Assert.Contains("Otp:Delivery:Email", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvesEveryTriggerBindingExpressionGivenDeployedSettings()
    {
        var settings = DeployedApp.Settings();
        var expressions = TriggerBindings().SelectMany(b => b.Expressions).Distinct().ToList();

        Assert.Contains("OTP_DELIVERY_QUEUE", expressions);
        Assert.Contains("OTP_SWEEP_SCHEDULE", expressions);
        foreach (var name in expressions)
        {
            // Linux app settings are environment variables: a name with ':' or '.' cannot be one.
            Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*$", name);
            Assert.True(settings.TryGetValue(name, out var value) && value.Length > 0, $"%{name}% is bound by a trigger but the template does not set it");
        }
    }

    [Fact]
    public void CreatesEveryTriggeredQueueAndItsPoisonQueueGivenDeployedSettings()
    {
        var settings = DeployedApp.Settings();
        var storage = MainTemplatePrivateNetworkingTests.Evaluator(new Dictionary<string, object?>())
            .EvaluateEach("Microsoft.Resources/deployments", d => d.At("properties", "parameters"))
            .Single(d => d.Resource.GetProperty("name").GetString() == "storage").Value;
        var created = ((IEnumerable<object?>)((IDictionary<string, object?>)((IDictionary<string, object?>)storage!)["queueNames"]!)["value"]!).Cast<string>().ToList();
        var queues = typeof(OtpServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods())
            .SelectMany(method => method.GetParameters().Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).OfType<QueueTriggerAttribute>())
            .Select(trigger => BindingExpression().Match(trigger.QueueName).Groups[1].Value)
            .ToList();

        Assert.True(queues.Count >= 2, "the delivery and webhook queue triggers were not found");
        foreach (var setting in queues)
        {
            // Created up front, so the poison queue exists for its alert before the first failure.
            Assert.Contains(settings[setting], created);
            Assert.Contains(settings[setting] + "-poison", created);
        }
    }

    [Fact]
    public void SetsEveryTriggerConnectionGivenDeployedSettings()
    {
        var settings = DeployedApp.Settings();
        var connections = TriggerBindings().SelectMany(b => b.Connections).Distinct().ToList();

        Assert.NotEmpty(connections);
        foreach (var connection in connections)
        {
            // A connection string, or the identity-based form the host reads (<name>__queueServiceUri...).
            Assert.True(
                settings.ContainsKey(connection) || settings.Keys.Any(k => k.StartsWith(connection + "__", StringComparison.Ordinal) && k.EndsWith("ServiceUri", StringComparison.Ordinal)),
                $"trigger connection {connection} is not set by the template");
        }
    }

    [Fact]
    public void ReadsEveryAppSettingTheTemplateSetsGivenProductionStartUp()
    {
        var settings = DeployedApp.Settings();
        var read = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        using (DeployedApp.Start(settings, read))
        {
        }

        var bound = TriggerBindings().SelectMany(b => b.Expressions.Concat(b.Connections)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in settings.Keys.Where(IsAppSetting))
        {
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            var used = read.Contains(key) || read.Any(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)) || bound.Contains(name) || bound.Any(c => name.StartsWith(c + "__", StringComparison.Ordinal));
            Assert.True(used, $"the template sets {name}, but nothing in the app reads {key}: renamed on one side only?");
        }
    }

    // Settings meant for the app (not for the Functions host or the platform).
    private static bool IsAppSetting(string name) =>
        name.StartsWith("Otp", StringComparison.Ordinal) || name.StartsWith("OTP_", StringComparison.Ordinal) || name == "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Every %NAME% and Connection on the triggers of the app's functions, found by reflection.</summary>
    private static IEnumerable<(string Function, string[] Expressions, string[] Connections)> TriggerBindings() =>
        typeof(OtpServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(method => method.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(method =>
            {
                var attributes = method.GetParameters().SelectMany(p => p.GetCustomAttributes(inherit: true)).ToList();
                var strings = attributes.SelectMany(a => a.GetType().GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => (Property: p.Name, Value: p.GetValue(a) as string))).ToList();
                var expressions = strings.SelectMany(s => BindingExpression().Matches(s.Value ?? "").Select(m => m.Groups[1].Value)).ToArray();
                var connections = strings.Where(s => s.Property == "Connection" && !string.IsNullOrEmpty(s.Value)).Select(s => s.Value!).ToArray();
                return (method.GetCustomAttribute<FunctionAttribute>()!.Name, expressions, connections);
            });

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex BindingExpression();
}

/// <summary>The compiled template's app settings, and the app started on them without the network.</summary>
internal static class DeployedApp
{
    /// <summary>Secure parameters as an operator generates them; every other parameter keeps its default.</summary>
    public static IReadOnlyDictionary<string, string> Settings(IDictionary<string, object?>? overrides = null)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["environmentName"] = "otp-test",
            ["otpPepper"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["otpEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["otpSigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        foreach (var (name, value) in overrides ?? new Dictionary<string, object?>())
        {
            parameters[name] = value;
        }

        return new ArmEvaluator(ArmTemplate.Main.Root, parameters).AppSettings();
    }

    /// <summary>
    /// The app's composition root on these settings, as the Functions worker builds it: app settings become
    /// configuration with <c>__</c> as <c>:</c>, the environment is AZURE_FUNCTIONS_ENVIRONMENT. Then the
    /// app's own start-up runs: options validation (ValidateOnStart) and the app's hosted start-up checks,
    /// except the storage initializer, which needs the real account; every function class is constructed.
    /// </summary>
    public static IHost Start(IReadOnlyDictionary<string, string> settings, ISet<string>? readKeys = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = settings.TryGetValue("AZURE_FUNCTIONS_ENVIRONMENT", out var environment) ? environment : "Production",
        });
        var values = settings.ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value);
        ((IConfigurationBuilder)builder.Configuration).Add(new RecordingSource(values, readKeys ?? new HashSet<string>()));
        builder.Services.AddOtp(builder.Configuration);

        var host = builder.Build();
        try
        {
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            foreach (var service in host.Services.GetServices<IHostedService>())
            {
                if (service.GetType().Assembly == typeof(OtpServiceCollectionExtensions).Assembly && service is not StorageInitializer)
                {
                    service.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
                }
            }

            _ = host.Services.GetRequiredService<OtpStorage>();
            foreach (var type in typeof(OtpServiceCollectionExtensions).Assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null)))
            {
                _ = ActivatorUtilities.CreateInstance(host.Services, type);
            }

            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>In-memory configuration that notes every key the app looks up.</summary>
    private sealed class RecordingSource(IDictionary<string, string?> values, ISet<string> read) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(values, read);

        private sealed class Provider : ConfigurationProvider
        {
            private readonly ISet<string> read;

            public Provider(IDictionary<string, string?> values, ISet<string> read)
            {
                this.read = read;
                Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
            }

            public override bool TryGet(string key, out string? value)
            {
                lock (read)
                {
                    read.Add(key);
                }

                return base.TryGet(key, out value);
            }
        }
    }
}
