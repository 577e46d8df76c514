using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Infra;

// Issue 9's deployment items, each read from the compiled template: resource logs to the workspace,
// optional private networking, Event Grid with a per-function key and a dead-letter container.

public sealed class MainTemplateDiagnosticSettingsTests
{
    [Theory]
    [InlineData("Microsoft.KeyVault/vaults", "AuditEvent")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices", "StorageRead,StorageWrite,StorageDelete")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices", "StorageRead,StorageWrite,StorageDelete")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices", "StorageRead,StorageWrite,StorageDelete")]
    [InlineData("Microsoft.Web/sites", "FunctionAppLogs")]
    [InlineData("Microsoft.Communication/communicationServices", "SMSOperational,EmailSendMailOperational,EmailStatusUpdateOperational")]
    public void SendsCategoriesToWorkspaceGivenResource(string resourceType, string categories)
    {
        // Logs may come from a variable shared by several settings: evaluate them rather than read them raw.
        var (setting, logs) = Assert.Single(
            MainTemplatePrivateNetworkingTests.Evaluator(new Dictionary<string, object?>()).EvaluateEach("Microsoft.Insights/diagnosticSettings", d => d.At("properties", "logs")),
            d => d.Resource.GetProperty("scope").GetString()!.StartsWith($"[resourceId('{resourceType}', ", StringComparison.Ordinal));
        var enabled = Assert.IsAssignableFrom<IEnumerable<object?>>(logs)
            .Cast<IDictionary<string, object?>>()
            .Where(log => log["enabled"] is true)
            .Select(log => (string?)log["category"]);

        Assert.Equal(categories.Split(',').Order(), enabled.Order());
        Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", setting.At("properties", "workspaceId").GetString());
    }

    [Fact]
    public void WritesVaultAuditToItsOwnTableGivenKeyVaultSetting()
    {
        var setting = Assert.Single(
            ArmTemplate.Main.ResourcesOfType("Microsoft.Insights/diagnosticSettings"),
            d => d.GetProperty("scope").GetString()!.StartsWith("[resourceId('Microsoft.KeyVault/vaults', ", StringComparison.Ordinal));

        // AZKVAuditLogs, which docs/deploy.md queries, only with the resource-specific destination.
        Assert.Equal("Dedicated", setting.At("properties", "logAnalyticsDestinationType").GetString());
    }

    [Fact]
    public void PassesTheMonitoringWorkspaceGivenEveryModuleWithDiagnostics()
    {
        foreach (var deployment in ArmTemplate.Main.ResourcesOfType("Microsoft.Resources/deployments"))
        {
            if (deployment.At("properties", "parameters").TryGetProperty("logAnalyticsWorkspaceId", out var workspace))
            {
                Assert.Equal("[reference(resourceId('Microsoft.Resources/deployments', 'monitoring'), '2025-04-01').outputs.logAnalyticsId.value]", workspace.GetProperty("value").GetString());
            }
        }
    }
}

public sealed class MainTemplatePrivateNetworkingTests
{
    private static readonly IReadOnlyDictionary<string, object?> On = new Dictionary<string, object?> { ["vnetEnabled"] = true };

    [Fact]
    public void ReturnsOffByDefaultGivenVnetEnabledParameter()
    {
        var parameter = ArmTemplate.Main.Root.At("parameters", "vnetEnabled");
        var network = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == "network");

        Assert.False(parameter.GetProperty("defaultValue").GetBoolean());
        Assert.Equal("[parameters('vnetEnabled')]", network.GetProperty("condition").GetString());
    }

    [Fact]
    public void ReturnsPrivateEndpointPerStorageServiceAndVaultGivenNetworkModule()
    {
        var network = NetworkTemplate();
        var endpoints = network.At("variables", "endpoints").EnumerateArray().ToList();

        Assert.Equal(["blob", "queue", "table", "vault"], endpoints.Select(e => e.GetProperty("groupId").GetString()).Order());
        Assert.Contains(endpoints, e => e.GetProperty("zone").GetString() == "privatelink.vaultcore.azure.net");
        Assert.Contains("privatelink.table.", endpoints.Single(e => e.GetProperty("groupId").GetString() == "table").GetProperty("zone").GetString(), StringComparison.Ordinal);
        var resources = network.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("type").GetString()).ToList();
        Assert.Contains("Microsoft.Network/privateDnsZones/virtualNetworkLinks", resources);
        Assert.Contains("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", resources);
    }

    [Fact]
    public void DelegatesAppSubnetToFlexConsumptionGivenVirtualNetwork()
    {
        var vnet = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Network/virtualNetworks"));
        var app = vnet.At("properties", "subnets").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "app");

        Assert.Equal("Microsoft.App/environments", app.At("properties", "delegations")[0].At("properties", "serviceName").GetString());
    }

    [Fact]
    public void ClosesVaultAndStorageAndIntegratesAppGivenVnetEnabled()
    {
        var evaluator = Evaluator(On);

        var vault = Properties(Assert.Single(evaluator.Evaluate("Microsoft.KeyVault/vaults", r => r.GetProperty("properties"))));
        var storage = Properties(Assert.Single(evaluator.Evaluate("Microsoft.Storage/storageAccounts", r => r.GetProperty("properties"))));
        var subnet = Assert.Single(evaluator.Evaluate("Microsoft.Web/sites", r => r.At("properties", "virtualNetworkSubnetId")));

        Assert.Equal("Disabled", vault["publicNetworkAccess"]);
        Assert.Equal("Deny", Properties(vault["networkAcls"])["defaultAction"]);
        var acls = Properties(storage["networkAcls"]);
        Assert.Equal("Deny", acls["defaultAction"]);
        Assert.Empty((IEnumerable<object?>)acls["ipRules"]!);
        Assert.Empty((IEnumerable<object?>)acls["virtualNetworkRules"]!);
        Assert.Matches("/providers/Microsoft.Network/virtualNetworks/vnet-otp-[a-z0-9]+/subnets/app$", Assert.IsType<string>(subnet));
    }

    [Fact]
    public void LeavesPublicEndpointsOpenAndAppUnintegratedGivenDefault()
    {
        var evaluator = Evaluator(new Dictionary<string, object?>());

        var vault = Properties(Assert.Single(evaluator.Evaluate("Microsoft.KeyVault/vaults", r => r.GetProperty("properties"))));
        var storage = Properties(Assert.Single(evaluator.Evaluate("Microsoft.Storage/storageAccounts", r => r.GetProperty("properties"))));

        Assert.Equal("Enabled", vault["publicNetworkAccess"]);
        Assert.Equal("Allow", Properties(storage["networkAcls"])["defaultAction"]);
        Assert.Null(Assert.Single(evaluator.Evaluate("Microsoft.Web/sites", r => r.At("properties", "virtualNetworkSubnetId"))));
    }

    private static JsonElement NetworkTemplate() =>
        Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == "network")
            .At("properties", "template");

    private static IDictionary<string, object?> Properties(object? value) => Assert.IsAssignableFrom<IDictionary<string, object?>>(value);

    internal static ArmEvaluator Evaluator(IReadOnlyDictionary<string, object?> overrides)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["environmentName"] = "otp-test",
            ["otpPepper"] = "pepper",
            ["otpEncryptionKey"] = "encryption",
            ["otpSigningKey"] = "signing",
        };
        foreach (var (name, value) in overrides)
        {
            parameters[name] = value;
        }

        return new ArmEvaluator(ArmTemplate.Main.Root, parameters);
    }
}

public sealed class MainTemplateDeliveryEventsTests
{
    [Fact]
    public void CreatesKeyOnTheDeliveryEventsFunctionOnlyGivenEventGridKey()
    {
        var template = DeliveryEventsTemplate();
        var key = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Web/sites/functions/keys"));

        Assert.Equal("[format('{0}/{1}/{2}', parameters('functionAppName'), parameters('functionName'), 'eventgrid')]", key.GetProperty("name").GetString());
        // No value in the template: the platform generates a random key, a template-derived one would be guessable.
        Assert.False(key.TryGetProperty("value", out _));
        Assert.False(key.TryGetProperty("properties", out _));
        Assert.Equal(DeliveryEventsFunctionName(), template.At("parameters", "functionName", "defaultValue").GetString());
    }

    [Fact]
    public void PutsTheFunctionKeyNotTheHostKeyGivenSubscriptionUrl()
    {
        var url = Subscription().At("properties", "destination", "properties", "endpointUrl").GetString()!;

        Assert.Contains("listKeys(resourceId('Microsoft.Web/sites/functions', parameters('functionAppName'), parameters('functionName'))", url, StringComparison.Ordinal);
        Assert.EndsWith(".eventgrid)]", url, StringComparison.Ordinal);
        Assert.DoesNotContain("host/default", url, StringComparison.Ordinal);
        Assert.DoesNotContain("functionKeys", url, StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", url, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DeadLettersToPrivateContainerWithTopicIdentityGivenSubscription()
    {
        var deadLetter = Subscription().At("properties", "deadLetterWithResourceIdentity");
        var destination = deadLetter.GetProperty("deadLetterDestination");
        var topic = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.EventGrid/systemTopics"));
        var module = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == "delivery-events");

        Assert.Equal("SystemAssigned", deadLetter.At("identity", "type").GetString());
        Assert.Equal("SystemAssigned", topic.At("identity", "type").GetString());
        Assert.Equal("StorageBlob", destination.GetProperty("endpointType").GetString());
        Assert.Equal("[parameters('deadLetterContainerName')]", destination.At("properties", "blobContainerName").GetString());
        Assert.Equal("[variables('deadLetterContainerName')]", module.At("properties", "parameters", "deadLetterContainerName", "value").GetString());
        Assert.Contains(ArmTemplate.Main.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers"), c => c.GetProperty("name").GetString()!.Contains("deadLetterContainerName", StringComparison.Ordinal));
    }

    private static JsonElement Subscription() => Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.EventGrid/systemTopics/eventSubscriptions"));

    private static JsonElement DeliveryEventsTemplate() =>
        Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == "delivery-events")
            .At("properties", "template");

    // The function behind POST /api/events/delivery, by its route: a renamed function breaks this, not Azure.
    private static string DeliveryEventsFunctionName() =>
        typeof(OtpServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Single(m => m.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>()?.Route == "events/delivery"))
            .GetCustomAttribute<FunctionAttribute>()!.Name;
}

public sealed class MainTemplateTelemetrySettingsTests
{
    [Fact]
    public void SendsTelemetryWithTheAppIdentityGivenLocalAuthOff()
    {
        var settings = DeployedApp.Settings();
        var disableLocalAuth = ArmTemplate.Main.Root.At("parameters", "appInsightsDisableLocalAuth");

        Assert.True(disableLocalAuth.GetProperty("defaultValue").GetBoolean());
        Assert.Equal($"ClientId={ArmEvaluator.IdentityClientId};Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal(ArmEvaluator.IdentityClientId, settings["Otp__ManagedIdentityClientId"]);
        Assert.StartsWith("InstrumentationKey=", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
    }
}
