using System.Text.RegularExpressions;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Infra;

/// <summary>
/// Issue 20, items 2 and 3: the azd hooks in azure.yaml, run as azd runs them with fake Azure tools. postdeploy
/// wires Event Grid only once the DeliveryEvents function answers, with one key made once; preprovision stops
/// early, naming the command, when a resource provider is not registered.
/// </summary>
public sealed partial class DeployHooksTests
{
    private const string Postdeploy = "scripts/azd/postdeploy.sh";
    private const string Preprovision = "scripts/azd/preprovision.sh";

    private static readonly string[] AllProviders =
        ["Microsoft.Web", "Microsoft.Storage", "Microsoft.KeyVault", "Microsoft.ManagedIdentity", "Microsoft.Communication", "Microsoft.EventGrid", "Microsoft.OperationalInsights", "Microsoft.Insights"];

    [Fact]
    public void RunsBothHooksGivenAzureYaml()
    {
        var yaml = File.ReadAllText(Path.Combine(ArmTemplate.RepositoryRoot(), "azure.yaml"));

        Assert.Matches(@"(?m)^  preprovision:\n    shell: sh\n    run: scripts/azd/preprovision\.sh$", yaml);
        Assert.Matches(@"(?m)^  postdeploy:\n    shell: sh\n    run: scripts/azd/postdeploy\.sh$", yaml);
    }

    [Fact]
    public async Task WiresNothingGivenDeliveryEventsOff()
    {
        using var tools = new FakeAzureTools(AllProviders);

        var (exitCode, output, _) = await tools.RunAsync(Postdeploy, Deployed(new() { ["OTP_DEPLOY_DELIVERY_EVENTS"] = "false" }));

        Assert.Equal(0, exitCode);
        Assert.Contains("OTP_DEPLOY_DELIVERY_EVENTS", output, StringComparison.Ordinal);
        Assert.Empty(tools.Calls());
    }

    [Fact]
    public async Task WaitsForTheFunctionThenDeploysWithAKeyMadeOnceGivenNoKeyYet()
    {
        using var tools = new FakeAzureTools(AllProviders, "000", "404", "401");

        var (exitCode, _, errors) = await tools.RunAsync(Postdeploy, Deployed(new()));

        Assert.True(exitCode == 0, errors);
        var calls = tools.Calls();
        var key = HexKey().Match(Assert.Single(calls, c => c.StartsWith("azd env set", StringComparison.Ordinal))).Groups[1].Value;
        Assert.Equal(64, key.Length);
        Assert.Equal(3, calls.Count(c => c.StartsWith("curl ", StringComparison.Ordinal) && c.Contains("https://func-otp-abc.azurewebsites.net/api/events/delivery", StringComparison.Ordinal)));
        var deployment = Assert.Single(calls, c => c.StartsWith("az deployment group create", StringComparison.Ordinal));
        Assert.Contains("--resource-group rg-otp-test", deployment, StringComparison.Ordinal);
        Assert.Contains("--template-file infra/delivery-events.bicep --parameters infra/delivery-events.bicepparam", deployment, StringComparison.Ordinal);
        Assert.EndsWith($"key={key}", deployment, StringComparison.Ordinal);
        // The deployment comes after the function answered, never before.
        Assert.True(calls.ToList().IndexOf(deployment) > calls.ToList().FindLastIndex(c => c.StartsWith("curl ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task KeepsTheKeyGivenOneInTheEnvironment()
    {
        using var tools = new FakeAzureTools(AllProviders);
        var key = new string('a', 64);

        var (exitCode, _, errors) = await tools.RunAsync(Postdeploy, Deployed(new() { ["OTP_EVENTGRID_KEY"] = key }));

        Assert.True(exitCode == 0, errors);
        Assert.DoesNotContain(tools.Calls(), c => c.StartsWith("azd env set", StringComparison.Ordinal));
        Assert.EndsWith($"key={key}", Assert.Single(tools.Calls(), c => c.StartsWith("az deployment", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailsSayingWhatToDoGivenFunctionNeverAnswers()
    {
        using var tools = new FakeAzureTools(AllProviders, "404");

        var (exitCode, _, errors) = await tools.RunAsync(Postdeploy, Deployed(new() { ["OTP_WAIT_ATTEMPTS"] = "3" }));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("answered 404 instead of 401 after 3 tries", errors, StringComparison.Ordinal);
        Assert.Contains("azd hooks run postdeploy", errors, StringComparison.Ordinal);
        Assert.DoesNotContain(tools.Calls(), c => c.StartsWith("az deployment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailsSayingWhatToDoGivenNoAzureCli()
    {
        using var tools = new FakeAzureTools(AllProviders);

        var (exitCode, _, errors) = await tools.RunAsync(Postdeploy, Deployed(new()), withoutAz: true);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("needs the Azure CLI (az)", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopsNamingTheRegisterCommandGivenUnregisteredProvider()
    {
        using var tools = new FakeAzureTools(AllProviders.Where(p => p is not ("Microsoft.Communication" or "Microsoft.EventGrid")));

        var (exitCode, _, errors) = await tools.RunAsync(Preprovision, Keys(new() { ["AZURE_SUBSCRIPTION_ID"] = "sub-1" }));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("az provider register --subscription sub-1 --namespace Microsoft.Communication --wait", errors, StringComparison.Ordinal);
        Assert.Contains("az provider register --subscription sub-1 --namespace Microsoft.EventGrid --wait", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("--namespace Microsoft.Web ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassesGivenEveryProviderRegistered()
    {
        using var tools = new FakeAzureTools(AllProviders.Select(p => p.ToLowerInvariant()));

        var (exitCode, _, errors) = await tools.RunAsync(Preprovision, Keys(new()));

        Assert.True(exitCode == 0, errors);
    }

    [Fact]
    public async Task AlsoNeedsMicrosoftAppGivenPrivateNetworking()
    {
        using var tools = new FakeAzureTools(AllProviders.Append("Microsoft.Network"));

        var (exitCode, _, errors) = await tools.RunAsync(Preprovision, Keys(new() { ["OTP_VNET_ENABLED"] = "true" }));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--namespace Microsoft.App --wait", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopsNamingTheCommandGivenMissingKey()
    {
        using var tools = new FakeAzureTools(AllProviders);
        var environment = Keys(new());
        environment.Remove("OTP_SIGNING_KEY");

        var (exitCode, _, errors) = await tools.RunAsync(Preprovision, environment);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("azd env set OTP_SIGNING_KEY \"$(openssl rand -base64 32)\"", errors, StringComparison.Ordinal);
    }

    // What azd's environment holds after main.bicep's provision (its outputs) with the flag on.
    private static Dictionary<string, string> Deployed(Dictionary<string, string> overrides)
    {
        var environment = new Dictionary<string, string>
        {
            ["OTP_DEPLOY_DELIVERY_EVENTS"] = "true",
            ["AZURE_RESOURCE_GROUP"] = "rg-otp-test",
            ["API_BASE_URL"] = "https://func-otp-abc.azurewebsites.net/api",
            ["AZURE_FUNCTION_APP_NAME"] = "func-otp-abc",
            ["AZURE_COMMUNICATION_SERVICE_NAME"] = "acs-otp-abc",
            ["AZURE_STORAGE_ACCOUNT_NAME"] = "stotpabc",
            ["DELIVERY_EVENTS_TOPIC_NAME"] = "evgt-otp-abc",
        };
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static Dictionary<string, string> Keys(Dictionary<string, string> overrides)
    {
        var environment = new Dictionary<string, string>
        {
            ["OTP_PEPPER"] = "pepper",
            ["OTP_ENCRYPTION_KEY"] = "encryption",
            ["OTP_SIGNING_KEY"] = "signing",
        };
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        return environment;
    }

    [GeneratedRegex("^azd env set OTP_EVENTGRID_KEY ([0-9a-f]{64})$")]
    private static partial Regex HexKey();
}
