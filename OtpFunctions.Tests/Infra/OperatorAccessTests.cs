using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Infra;

/// <summary>
/// Issue 20, item 8: an optional operator (operatorPrincipalId) gets read access to what running the service needs
/// (dead letters, poison queues, the workbook, Application Insights and the workspace) and nothing more, each role
/// on its one resource. Evaluated from the compiled main template.
/// </summary>
public sealed class OperatorAccessTests
{
    private const string OperatorId = "3c9b1f4e-2a7d-4e8b-9c1d-5f6a7b8c9d0e";

    [Fact]
    public void GrantsNothingGivenNoOperator()
    {
        var module = OperatorModule();

        Assert.Equal("[not(empty(parameters('operatorPrincipalId')))]", module.GetProperty("condition").GetString());
        Assert.Equal("", ArmTemplate.Main.Root.At("parameters", "operatorPrincipalId", "defaultValue").GetString());
    }

    [Fact]
    public void GrantsReadRolesOnEachResourceGivenOperator()
    {
        var evaluator = MainTemplatePrivateNetworkingTests.Evaluator(new Dictionary<string, object?> { ["operatorPrincipalId"] = OperatorId, ["operatorPrincipalType"] = "Group" });

        var granted = evaluator.EvaluateEach("Microsoft.Authorization/roleAssignments", r => r.GetProperty("properties"))
            .Select(x => (Properties: Assert.IsAssignableFrom<IDictionary<string, object?>>(x.Value), Scope: x.Resource.GetProperty("scope").GetString()!))
            .Where(x => (string?)x.Properties["principalId"] == OperatorId)
            .Select(x => (Role: RoleOf(x.Properties), x.Scope, Type: (string?)x.Properties["principalType"]))
            .ToList();

        Assert.All(granted, g => Assert.Equal("Group", g.Type));
        Assert.Equal(
            [
                ("19e7f393-937e-4f77-808e-94535e297925", "Microsoft.Storage/storageAccounts/queueServices/queues"), // Storage Queue Data Reader: a poison queue
                ("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Microsoft.Storage/storageAccounts/blobServices/containers"), // Storage Blob Data Reader: dead letters
                ("43d0d8ad-25c7-4714-9337-8ba259a9fe05", "Microsoft.Insights/components"), // Monitoring Reader: telemetry and its alerts
                ("43d0d8ad-25c7-4714-9337-8ba259a9fe05", "Microsoft.Insights/workbooks"), // Monitoring Reader: the workbook
                ("73c42c96-874c-492b-b04d-ab87d138a893", "Microsoft.OperationalInsights/workspaces"), // Log Analytics Reader: resource logs
            ],
            granted.Select(g => (g.Role, ScopeType(g.Scope))).Distinct().Order());
    }

    [Fact]
    public void ReadsBothPoisonQueuesAndTheDeadLetterContainerGivenOperator()
    {
        var parameters = OperatorModule().At("properties", "parameters");
        var queues = parameters.At("poisonQueueNames", "value").EnumerateArray().Select(q => q.GetString()).ToList();

        Assert.Equal(["[format('{0}-poison', variables('deliveryQueueName'))]", "[format('{0}-poison', variables('webhookQueueName'))]"], queues);
        Assert.Equal("[variables('deadLetterContainerName')]", parameters.At("deadLetterContainerName", "value").GetString());
        // The workbook's name is computed in main, so the role on it is named when the deployment starts.
        Assert.Equal("[variables('workbookName')]", parameters.At("workbookName", "value").GetString());
    }

    private static System.Text.Json.JsonElement OperatorModule() =>
        Assert.Single(ArmTemplate.Main.ResourcesOfType("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == "operator-roles");

    private static string RoleOf(IDictionary<string, object?> properties) => ((string)properties["roleDefinitionId"]!).Split('/')[^1];

    // "[resourceId('Microsoft.Insights/components', ...)]" -> "Microsoft.Insights/components".
    private static string ScopeType(string scope) => scope["[resourceId('".Length..scope.IndexOf('\'', "[resourceId('".Length)];
}
