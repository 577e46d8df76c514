using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace OtpFunctions.Tests.Http;

/// <summary>
/// Which HTTP functions the Functions host lets through without a key. A function that quietly turns
/// Anonymous opens an operator endpoint to the internet; one that turns Function breaks every app.
/// A new HTTP function must be added here, on purpose.
/// </summary>
public sealed class AuthorizationLevelTests
{
    private static readonly Dictionary<string, AuthorizationLevel> Expected = new(StringComparer.Ordinal)
    {
        ["SendCode"] = AuthorizationLevel.Anonymous,
        ["ResendCode"] = AuthorizationLevel.Anonymous,
        ["VerifyCode"] = AuthorizationLevel.Anonymous,
        ["GetChallenge"] = AuthorizationLevel.Anonymous,
        ["CancelChallenge"] = AuthorizationLevel.Anonymous,
        // ACS cannot send a function key: the callback URL's own signature guards it.
        ["CallEvents"] = AuthorizationLevel.Anonymous,
        ["GetSession"] = AuthorizationLevel.Anonymous,
        ["RevokeSession"] = AuthorizationLevel.Anonymous,
        ["Jwks"] = AuthorizationLevel.Anonymous,
        ["OpenIdConfiguration"] = AuthorizationLevel.Anonymous,
        ["Health"] = AuthorizationLevel.Anonymous,
        ["OpenApi"] = AuthorizationLevel.Anonymous,
        ["Demo"] = AuthorizationLevel.Anonymous,
        // Entra authenticates with its own bearer token, checked by the function: a function key would be a second, weaker secret in Entra's target URL.
        ["EntraOtpSend"] = AuthorizationLevel.Anonymous,
        // Supabase signs each hook request (Standard Webhooks), checked by the function before the payload is read.
        ["SupabaseSendSms"] = AuthorizationLevel.Anonymous,
        ["SupabaseSendEmail"] = AuthorizationLevel.Anonymous,
        // Event Grid posts delivery reports with the function key; anyone else could forge them.
        ["DeliveryEvents"] = AuthorizationLevel.Function,
        // Operators list and lift fraud-guard blocks; anyone else could lift a block an attack earned.
        ["ListFraudBlocks"] = AuthorizationLevel.Function,
        ["LiftFraudBlock"] = AuthorizationLevel.Function,
    };

    [Fact]
    public void PinsEachHttpFunctionsAuthorizationLevel()
    {
        var actual = typeof(OtpServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(method => (Function: method.GetCustomAttribute<FunctionAttribute>(), Trigger: method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(found => found.Function is not null && found.Trigger is not null)
            .ToDictionary(found => found.Function!.Name, found => found.Trigger!.AuthLevel, StringComparer.Ordinal);

        Assert.Equal(Expected.OrderBy(pair => pair.Key, StringComparer.Ordinal), actual.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void FunctionsMetadataCarriesTheSameLevels()
    {
        // What the Functions host enforces is functions.metadata, generated from the attributes at build time.
        var metadata = FunctionsMetadataTests.ReadMetadata()
            .Select(function => (Name: function.GetProperty("name").GetString()!, Trigger: function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal))))
            .Where(function => function.Trigger.GetProperty("type").GetString() == "httpTrigger")
            .ToDictionary(function => function.Name, function => Enum.Parse<AuthorizationLevel>(function.Trigger.GetProperty("authLevel").GetString()!), StringComparer.Ordinal);

        Assert.Equal(Expected.OrderBy(pair => pair.Key, StringComparer.Ordinal), metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }
}
