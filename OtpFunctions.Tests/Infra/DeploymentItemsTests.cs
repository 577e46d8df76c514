using System.Text.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Infra;

// Issue 9's deployment items, each read from the compiled template: resource logs to the workspace,
// optional private networking. Event Grid's wiring is in DeliveryEventsTemplateTests.

public sealed class MainTemplateDiagnosticSettingsTests
{
    [Theory]
    [InlineData("Microsoft.KeyVault/vaults", "AuditEvent")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices", "StorageRead,StorageWrite,StorageDelete")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices", "StorageRead,StorageWrite,StorageDelete")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices", "StorageRead,StorageWrite,StorageDelete")]
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
    public void SendsAppLinesOnlyThroughApplicationInsightsGivenFunctionApp()
    {
        // One path for app lines (issue 20, item 7): the worker's OpenTelemetry export, which keeps their EventIds;
        // a FunctionAppLogs setting would put every line in the workspace a second time.
        Assert.DoesNotContain(
            ArmTemplate.Main.ResourcesOfType("Microsoft.Insights/diagnosticSettings"),
            d => d.GetProperty("scope").GetString()!.StartsWith("[resourceId('Microsoft.Web/sites', ", StringComparison.Ordinal));
        Assert.DoesNotContain("FunctionAppLogs", ArmTemplate.Main.Root.GetRawText(), StringComparison.Ordinal);
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

    [Fact]
    public void KeepsEveryTraceSoRequestCountsAndAlertsAreWholeGivenTheDeployedApp()
    {
        // The host's and the worker's exporters read these two (only the exporter's own sampler names); without them
        // each keeps about 5 traces a second (RealHostTelemetryTests measured 7-8 of 80 request rows lost).
        var settings = DeployedApp.Settings();

        Assert.Equal("microsoft.fixed_percentage", settings["OTEL_TRACES_SAMPLER"]);
        Assert.Equal("1.0", settings["OTEL_TRACES_SAMPLER_ARG"]);
    }
}
