using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Infra;

// These tests read the ARM JSON that scripts/bicep-check.sh compiles from infra/main.bicep and
// check the promises docs/deploy.md makes: identity-only storage, TLS, Key Vault references,
// least-privilege roles, no keys in outputs. Modules are nested deployments, walked recursively.

public sealed class MainTemplateStorageAccountTests
{
    [Fact]
    public void ReturnsHttpsOnlyTls12NoSharedKeyNoPublicBlobGivenStorageAccount()
    {
        var storage = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Storage/storageAccounts"));
        var properties = storage.GetProperty("properties");

        Assert.True(properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
        Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
    }

    [Fact]
    public void ReturnsPrivateDeploymentAndDeadLetterContainersGivenBlobContainers()
    {
        var containers = ArmTemplate.Main.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();

        Assert.Equal(2, containers.Count);
        Assert.All(containers, container => Assert.Equal("None", container.At("properties", "publicAccess").GetString()));
    }
}

public sealed class MainTemplateFunctionAppTests
{
    [Fact]
    public void ReturnsHttpsOnlyMinTls12GivenFunctionApp()
    {
        var site = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Web/sites"));
        var properties = site.GetProperty("properties");
        var siteConfig = properties.GetProperty("siteConfig");

        Assert.True(properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", siteConfig.GetProperty("minTlsVersion").GetString());
    }

    [Fact]
    public void ReturnsNoPropertyFlexConsumptionRejectsGivenFunctionApp()
    {
        // Flex documents these as unsupported; ftpsState is reported to fail ARM validation there. FTP is
        // off through the basic-publishing policies instead (test below).
        var site = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Web/sites"));
        var settings = ArmTemplate.Main.AppSettings();

        Assert.False(site.At("properties", "siteConfig").TryGetProperty("ftpsState", out _));
        foreach (var unsupported in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING" })
        {
            Assert.False(settings.TryGetProperty(unsupported, out _), $"{unsupported} is not supported on Flex Consumption");
        }
    }

    [Fact]
    public void AllowsOneInstanceAsCostCapGivenMaximumInstanceCount()
    {
        foreach (var template in ArmTemplate.Main.Templates().Where(t => t.TryGetProperty("parameters", out var p) && p.TryGetProperty("maximumInstanceCount", out _)))
        {
            var parameter = template.At("parameters", "maximumInstanceCount");
            Assert.Equal(1, parameter.GetProperty("minValue").GetInt32());
            Assert.Equal(100, parameter.GetProperty("defaultValue").GetInt32());
        }

        var scale = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Web/sites")).At("properties", "functionAppConfig", "scaleAndConcurrency");
        Assert.Equal("[parameters('maximumInstanceCount')]", scale.GetProperty("maximumInstanceCount").GetString());
    }

    [Fact]
    public void ReturnsBasicPublishingOffGivenFtpAndScm()
    {
        var policies = ArmTemplate.Main.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(2, policies.Count);
        Assert.All(policies, policy => Assert.False(policy.At("properties", "allow").GetBoolean()));
    }

    [Fact]
    public void ReturnsAccessKeysOffGivenCommunicationServices()
    {
        var acs = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Communication/communicationServices"));

        Assert.True(acs.At("properties", "disableLocalAuth").GetBoolean());
    }

    [Fact]
    public void ReturnsFlexConsumptionDotnetIsolated10GivenPlanAndRuntime()
    {
        var plan = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Web/serverfarms"));
        var site = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Web/sites"));
        var runtime = site.At("properties", "functionAppConfig", "runtime");

        Assert.Equal("FC1", plan.At("sku", "name").GetString());
        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());
    }

    [Fact]
    public void ReturnsUserAssignedIdentityForKeyVaultReferencesGivenFunctionApp()
    {
        var site = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Web/sites"));

        Assert.Equal("UserAssigned", site.At("identity", "type").GetString());
        Assert.Equal("[parameters('identityId')]", site.At("properties", "keyVaultReferenceIdentity").GetString());
    }
}

public sealed class MainTemplateAppSettingsTests
{
    private static readonly string[] SecretSettings =
        ["Otp__Secrets__Pepper", "Otp__Secrets__EncryptionKey", "Otp__Secrets__SigningKey"];

    [Fact]
    public void ReturnsKeyVaultReferencesGivenSecretSettings()
    {
        var settings = ArmTemplate.Main.AppSettings();

        foreach (var name in SecretSettings)
        {
            var value = settings.GetProperty(name).GetString() ?? "";
            Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})', parameters('", value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReturnsKeyVaultReferenceOrNothingGivenBotCheckSecret()
    {
        // The bot-check secret never travels as a plain app setting: a Key Vault reference, or empty when no check is on.
        Assert.Equal(
            "[if(empty(parameters('botCheckSecretUri')), '', format('@Microsoft.KeyVault(SecretUri={0})', parameters('botCheckSecretUri')))]",
            ArmTemplate.Main.AppSettings().GetProperty("Otp__BotCheck__Secret").GetString());
    }

    [Fact]
    public void ReturnsNoConnectionStringsOrKeysGivenAnyAppSetting()
    {
        foreach (var setting in ArmTemplate.Main.AppSettings().EnumerateObject())
        {
            Assert.DoesNotContain("ConnectionString", setting.Name, StringComparison.OrdinalIgnoreCase);
            var value = setting.Value.ToString();
            Assert.DoesNotContain("AccountKey=", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("accesskey=", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("list", value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReturnsFailClosedSmsBudgetDefaultsGivenMainParameters()
    {
        // Without both, the app refuses to start with SMS; the defaults must be set and small.
        var parameters = ArmTemplate.Main.Root.GetProperty("parameters");
        var countries = parameters.GetProperty("smsAllowedCountryCodes");
        var perHour = parameters.GetProperty("maxSmsPerHour");

        Assert.Equal("1", countries.GetProperty("defaultValue").GetString());
        Assert.Equal(1, countries.GetProperty("minLength").GetInt32());
        Assert.Equal(500, perHour.GetProperty("defaultValue").GetInt32());
        Assert.Equal(1, perHour.GetProperty("minValue").GetInt32());
    }

    [Fact]
    public void ReturnsAnEmailBudgetBelowTheManagedDomainsQuotaGivenMainParameters()
    {
        // An Azure-managed email domain sends 100 per hour: a budget above it lets the quota run out first.
        var perHour = ArmTemplate.Main.Root.GetProperty("parameters").GetProperty("maxEmailsPerHour");

        Assert.InRange(perHour.GetProperty("defaultValue").GetInt32(), 1, 99);
        Assert.Equal(1, perHour.GetProperty("minValue").GetInt32());
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__credential", "managedidentity")]
    [InlineData("AzureWebJobsStorage__clientId", "[parameters('identityClientId')]")]
    [InlineData("OtpStorage__credential", "managedidentity")]
    [InlineData("OtpStorage__clientId", "[parameters('identityClientId')]")]
    [InlineData("Otp__ManagedIdentityClientId", "[parameters('identityClientId')]")]
    [InlineData("Otp__Delivery__Email__Provider", "Acs")]
    [InlineData("Otp__Sms__AllowedCountryCodes", "[parameters('smsAllowedCountryCodes')]")]
    [InlineData("Otp__MaxSendsGlobal", "[string(parameters('maxSmsPerHour'))]")]
    [InlineData("Otp__GlobalWindow", "01:00:00")]
    [InlineData("Otp__Email__MaxSendsGlobal", "[string(parameters('maxEmailsPerHour'))]")]
    [InlineData("Otp__Email__GlobalWindow", "01:00:00")]
    [InlineData("AZURE_FUNCTIONS_ENVIRONMENT", "Production")]
    public void ReturnsIdentityBasedValueGivenSetting(string name, string expected)
    {
        Assert.Equal(expected, ArmTemplate.Main.AppSettings().GetProperty(name).GetString());
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "primaryEndpoints.blob")]
    [InlineData("AzureWebJobsStorage__queueServiceUri", "primaryEndpoints.queue")]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "primaryEndpoints.table")]
    [InlineData("OtpStorage__tableServiceUri", "primaryEndpoints.table")]
    [InlineData("OtpStorage__queueServiceUri", "primaryEndpoints.queue")]
    public void ReturnsStorageServiceUriGivenServiceUriSetting(string name, string endpoint)
    {
        Assert.EndsWith($"{endpoint}]", ArmTemplate.Main.AppSettings().GetProperty(name).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReturnsNoPlainAzureWebJobsStorageGivenAppSettings()
    {
        Assert.False(ArmTemplate.Main.AppSettings().TryGetProperty("AzureWebJobsStorage", out _));
    }
}

public sealed class MainTemplateKeyVaultTests
{
    [Fact]
    public void ReturnsRbacSoftDeleteAndPurgeProtectionGivenVault()
    {
        var vault = Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.KeyVault/vaults"));
        var properties = vault.GetProperty("properties");

        Assert.True(properties.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(properties.GetProperty("enableSoftDelete").GetBoolean());
        Assert.True(properties.GetProperty("enablePurgeProtection").GetBoolean());
    }

    [Fact]
    public void ReturnsSecureParameterValuesGivenSecrets()
    {
        var secrets = ArmTemplate.Main.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").ToList();

        // The three keys, the bot-check secret (stored only when one is given) and one copy loop for the webhook endpoints' secrets.
        Assert.Equal(5, secrets.Count);
        foreach (var secret in secrets)
        {
            Assert.Matches(@"^\[parameters\('\w+'\)(\[format\('endpoint\{0\}', .+\)\])?\]$", secret.At("properties", "value").GetString());
        }
        foreach (var name in new[] { "otpPepper", "otpEncryptionKey", "otpSigningKey" })
        {
            var parameter = ArmTemplate.Main.Root.GetProperty("parameters").GetProperty(name);
            Assert.Equal("securestring", parameter.GetProperty("type").GetString());
            Assert.False(parameter.TryGetProperty("defaultValue", out _));
        }

        Assert.Equal("securestring", ArmTemplate.Main.Root.At("parameters", "botCheckSecret", "type").GetString());
        Assert.Equal("secureObject", ArmTemplate.Main.Root.At("parameters", "webhookSecrets", "type").GetString());
    }
}

public sealed class MainTemplateRoleAssignmentsTests
{
    private const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    private const string Contributor = "b24988ac-6180-42a0-ab88-20f3382dd24c";
    private const string UserAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c4a72009";
    private const string MonitoringReader = "43d0d8ad-25c7-4714-9337-8ba259a9fe05";

    // The app's and the topic's identities, or the operator's type as given.
    private static readonly string[] PrincipalTypes = ["ServicePrincipal", "[parameters('principalType')]"];

    // Role definition id -> the resource types it may be scoped to (never the resource group), over both entry templates.
    private static readonly Dictionary<string, string[]> ExpectedScopes = new()
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = ["Microsoft.Storage/storageAccounts"], // Storage Blob Data Owner
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = ["Microsoft.Storage/storageAccounts"], // Storage Queue Data Contributor
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = ["Microsoft.Storage/storageAccounts"], // Storage Table Data Contributor
        ["4633458b-17de-408a-b874-0445c86b69e6"] = ["Microsoft.KeyVault/vaults"], // Key Vault Secrets User
        ["09976791-48a7-449e-bb21-39d1a415f350"] = ["Microsoft.Communication/communicationServices"], // Communication and Email Service Owner
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = ["Microsoft.Insights/components"], // Monitoring Metrics Publisher
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = ["Microsoft.Storage/storageAccounts/blobServices/containers"], // Storage Blob Data Contributor (Event Grid's dead letters)
        ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"] = ["Microsoft.Storage/storageAccounts/blobServices/containers"], // Storage Blob Data Reader (operator: dead letters)
        ["19e7f393-937e-4f77-808e-94535e297925"] = ["Microsoft.Storage/storageAccounts/queueServices/queues"], // Storage Queue Data Reader (operator: poison queues)
        [MonitoringReader] = ["Microsoft.Insights/components", "Microsoft.Insights/workbooks"], // operator: telemetry, alerts, the workbook
        ["73c42c96-874c-492b-b04d-ab87d138a893"] = ["Microsoft.OperationalInsights/workspaces"], // Log Analytics Reader (operator: resource logs)
    };

    [Fact]
    public void ReturnsExactlyTheExpectedRolesGivenAllAssignments()
    {
        var roles = Assignments().Select(RoleId).Distinct().Order();

        Assert.Equal(ExpectedScopes.Keys.Order(), roles);
    }

    [Fact]
    public void ReturnsExpectedResourceScopeGivenEachAssignment()
    {
        foreach (var assignment in Assignments())
        {
            var role = RoleId(assignment);
            Assert.True(assignment.TryGetProperty("scope", out var scope), $"role {role} is assigned at resource-group scope");
            Assert.Contains(ExpectedScopes[role], type => scope.GetString()!.StartsWith($"[resourceId('{type}', ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ReturnsGuidOfScopePrincipalAndRoleGivenAssignmentNames()
    {
        // Named from the principal, never from a resource name: a re-created identity (Event Grid's topic, an
        // operator) gets a new assignment instead of an update Azure refuses.
        foreach (var assignment in Assignments())
        {
            var expected = $"[guid({assignment.GetProperty("scope").GetString()![1..^1]}, parameters('principalId'), '{RoleId(assignment)}')]";
            Assert.Equal(expected, assignment.GetProperty("name").GetString());
            Assert.Contains(assignment.At("properties", "principalType").GetString(), PrincipalTypes);
            Assert.Equal("[parameters('principalId')]", assignment.At("properties", "principalId").GetString());
        }
    }

    [Fact]
    public void ReturnsNoOwnerContributorOrAccessAdministratorGivenWholeTemplate()
    {
        foreach (var template in new[] { ArmTemplate.Main, ArmTemplate.DeliveryEvents })
        {
            var text = template.Root.GetRawText();

            Assert.DoesNotContain(Owner, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Contributor, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(UserAccessAdministrator, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    // Not vacuous: a loop over assignments passes when there are none, so there must be some.
    internal static List<JsonElement> Assignments()
    {
        var assignments = ArmTemplate.Main.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Concat(ArmTemplate.DeliveryEvents.ResourcesOfType("Microsoft.Authorization/roleAssignments"))
            .ToList();
        Assert.NotEmpty(assignments);
        return assignments;
    }

    internal static string RoleId(JsonElement assignment)
    {
        var definition = assignment.At("properties", "roleDefinitionId").GetString() ?? "";
        var match = Regex.Match(definition, @"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', '([0-9a-f-]{36})'\)\]$");
        Assert.True(match.Success, $"role definition id is not a literal built-in role: {definition}");
        return match.Groups[1].Value;
    }
}

public sealed class MainTemplateOutputsTests
{
    [Fact]
    public void ReturnsNoListFunctionsOrSecretsGivenAnyOutput()
    {
        var outputs = ArmTemplate.Main.Outputs().Concat(ArmTemplate.DeliveryEvents.Outputs()).ToList();
        var secureChecks = 0;
        foreach (var (template, name, value) in outputs)
        {
            Assert.DoesNotMatch(@"(?i)\blist[a-z]*\(", value);
            Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
            foreach (var secure in ArmTemplate.SecureParameterNames(template))
            {
                secureChecks++;
                Assert.False(value.Contains($"parameters('{secure}')", StringComparison.Ordinal), $"output {name} exposes secure parameter {secure}");
            }
        }

        // Not vacuous: the templates have outputs, and some of them sit beside secure parameters they could leak.
        Assert.Contains(outputs, output => output.Name == "API_BASE_URL");
        Assert.True(secureChecks > 0, "no output sits in a template with secure parameters: the secure-parameter check guards nothing");
    }

    [Fact]
    public void ReturnsApiBaseUrlGivenMainOutputs()
    {
        var output = ArmTemplate.Main.Root.At("outputs", "API_BASE_URL", "value").GetString();

        Assert.Equal("[format('https://{0}/api', reference(resourceId('Microsoft.Resources/deployments', 'api'), '2025-04-01').outputs.defaultHostName.value)]", output);
    }

    [Fact]
    public void ReturnsNoListKeysGivenEitherTemplate()
    {
        // The Event Grid key is a parameter now, so nothing reads keys back from a deployed resource.
        Assert.DoesNotContain("listKeys(", ArmTemplate.Main.Root.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listKeys(", ArmTemplate.DeliveryEvents.Root.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A compiled entry template (infra/main.bicep, infra/delivery-events.bicep), with every nested module's resources flattened.</summary>
internal sealed class ArmTemplate
{
    private static readonly Lazy<ArmTemplate> LazyMain = new(() => Load("main"));
    private static readonly Lazy<ArmTemplate> LazyDeliveryEvents = new(() => Load("delivery-events"));

    private ArmTemplate(JsonElement root) => Root = root;

    public static ArmTemplate Main => LazyMain.Value;

    /// <summary>The second step, wired after the code is deployed (the azd postdeploy hook).</summary>
    public static ArmTemplate DeliveryEvents => LazyDeliveryEvents.Value;

    /// <summary>The folder holding OtpFunctions.sln.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OtpFunctions.sln")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        return directory.FullName;
    }

    public JsonElement Root { get; }

    public IEnumerable<JsonElement> ResourcesOfType(string type) =>
        AllResources(Root).Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    public JsonElement AppSettings()
    {
        var config = Assert.Single(
            ResourcesOfType("Microsoft.Web/sites/config"),
            r => r.GetProperty("name").GetString()!.Contains("'appsettings'", StringComparison.Ordinal));
        var settings = config.GetProperty("properties");
        Assert.Equal(JsonValueKind.Object, settings.ValueKind);
        return settings;
    }

    /// <summary>Every output of the main template and of each module, with the template declaring it.</summary>
    public IEnumerable<(JsonElement Template, string Name, string Value)> Outputs() => AllTemplates(Root)
        .Where(t => t.TryGetProperty("outputs", out _))
        .SelectMany(t => t.GetProperty("outputs").EnumerateObject().Select(o => (t, o.Name, o.Value.GetRawText())));

    public static IEnumerable<string> SecureParameterNames(JsonElement template) =>
        !template.TryGetProperty("parameters", out var parameters) ? []
        : parameters.EnumerateObject()
            .Where(p => p.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Name);

    public IEnumerable<JsonElement> Templates() => AllTemplates(Root);

    private static IEnumerable<JsonElement> AllTemplates(JsonElement template)
    {
        yield return template;
        foreach (var resource in Resources(template))
        {
            if (resource.TryGetProperty("properties", out var properties) && properties.TryGetProperty("template", out var nested))
            {
                foreach (var inner in AllTemplates(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static IEnumerable<JsonElement> AllResources(JsonElement template) =>
        AllTemplates(template).SelectMany(Resources);

    // languageVersion 2.0 templates keep resources in an object keyed by symbolic name.
    private static IEnumerable<JsonElement> Resources(JsonElement template) =>
        !template.TryGetProperty("resources", out var resources) ? []
        : resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray()
        : resources.EnumerateObject().Select(p => p.Value);

    private static ArmTemplate Load(string name)
    {
        var path = Path.Combine(RepositoryRoot(), "artifacts", "arm", $"{name}.json");
        Assert.True(File.Exists(path), $"{path} is missing: run scripts/bicep-check.sh first, it compiles infra/{name}.bicep there.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new ArmTemplate(document.RootElement.Clone());
    }
}
