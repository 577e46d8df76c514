using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Infra;

/// <summary>
/// Issue 20, items 1, 2 and 4, read from the compiled templates: Event Grid is wired by its own template after the
/// code is deployed (main.bicep holds nothing that needs the function), with a function key whose value the
/// deployment supplies (the same on every run), and a dead-letter role named from the topic's principal.
/// </summary>
public sealed class DeliveryEventsTemplateTests
{
    private const string DeadLetterWriterRole = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

    [Fact]
    public void HoldsNothingThatNeedsTheCodeGivenMainTemplate()
    {
        // Provisioning a fresh environment runs before any code exists: no function key, no subscription
        // (whose handshake needs the function), no topic, no reference to a function.
        var main = ArmTemplate.Main;

        Assert.Empty(main.ResourcesOfType("Microsoft.Web/sites/functions/keys"));
        Assert.Empty(main.ResourcesOfType("Microsoft.EventGrid/systemTopics/eventSubscriptions"));
        Assert.Empty(main.ResourcesOfType("Microsoft.EventGrid/systemTopics"));
        Assert.DoesNotContain("Microsoft.Web/sites/functions", main.Root.GetRawText(), StringComparison.Ordinal);
        Assert.False(main.Root.GetProperty("parameters").TryGetProperty("deployDeliveryEvents", out _));
    }

    [Fact]
    public void NamesEveryResourceTheSecondStepNeedsGivenMainOutputs()
    {
        // delivery-events.bicepparam reads these from the azd environment, which azd fills from main's outputs.
        var outputs = ArmTemplate.Main.Root.GetProperty("outputs");
        var parameterFile = File.ReadAllText(Path.Combine(ArmTemplate.RepositoryRoot(), "infra", "delivery-events.bicepparam"));

        foreach (var output in new[] { "AZURE_FUNCTION_APP_NAME", "AZURE_COMMUNICATION_SERVICE_NAME", "AZURE_STORAGE_ACCOUNT_NAME", "DELIVERY_EVENTS_DEAD_LETTER_CONTAINER", "DELIVERY_EVENTS_TOPIC_NAME" })
        {
            Assert.True(outputs.TryGetProperty(output, out _), $"main.bicep has no output {output}");
            Assert.Contains($"readEnvironmentVariable('{output}'", parameterFile, StringComparison.Ordinal);
        }

        Assert.Equal("[variables('names').systemTopic]", outputs.At("DELIVERY_EVENTS_TOPIC_NAME", "value").GetString());
    }

    [Fact]
    public void GivesTheKeyTheDeployedValueGivenEventGridKey()
    {
        var key = Assert.Single(ArmTemplate.DeliveryEvents.ResourcesOfType("Microsoft.Web/sites/functions/keys"));
        var parameter = ModuleTemplate().At("parameters", "deliveryEventsKey");
        var entry = ArmTemplate.DeliveryEvents.Root.At("parameters", "deliveryEventsKey");

        // A value from the deployment: the same value on every run leaves the key, and Event Grid's URL, unchanged.
        Assert.Equal("[format('{0}/{1}/{2}', parameters('functionAppName'), parameters('functionName'), 'eventgrid')]", key.GetProperty("name").GetString());
        Assert.Equal("[parameters('deliveryEventsKey')]", key.GetProperty("value").GetString());
        Assert.Equal("securestring", parameter.GetProperty("type").GetString());
        Assert.Equal("securestring", entry.GetProperty("type").GetString());
        Assert.Equal(32, entry.GetProperty("minLength").GetInt32());
        Assert.False(entry.TryGetProperty("defaultValue", out _));
        Assert.Equal(DeliveryEventsFunctionName(), ModuleTemplate().At("parameters", "functionName", "defaultValue").GetString());
    }

    [Fact]
    public void CallsWithTheSameKeyOnlyAfterItIsSetGivenSubscription()
    {
        var subscription = Subscription();
        var url = subscription.At("properties", "destination", "properties", "endpointUrl").GetString()!;
        var dependsOn = subscription.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()).ToList();

        Assert.Equal("[format('https://{0}/api/events/delivery?code={1}', reference(resourceId('Microsoft.Web/sites', parameters('functionAppName')), '2024-04-01').defaultHostName, parameters('deliveryEventsKey'))]", url);
        Assert.Contains("[resourceId('Microsoft.Web/sites/functions/keys', parameters('functionAppName'), parameters('functionName'), 'eventgrid')]", dependsOn);
        Assert.Contains("[resourceId('Microsoft.Resources/deployments', 'dead-letter-writer')]", dependsOn);
    }

    [Fact]
    public void SubscribesToSmsEmailAndAdvancedMessagingReportsGivenFilter()
    {
        var types = Subscription().At("properties", "filter", "includedEventTypes").EnumerateArray().Select(t => t.GetString()).Order();

        // The WhatsApp channel's reports come through the same topic: one system topic per source resource.
        Assert.Equal(
            ["Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated", "Microsoft.Communication.EmailDeliveryReportReceived", "Microsoft.Communication.SMSDeliveryReportReceived"],
            types);
    }

    [Fact]
    public void NamesTheDeadLetterRoleFromTheTopicPrincipalGivenWriter()
    {
        var writer = Assert.Single(ArmTemplate.DeliveryEvents.ResourcesOfType("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == "dead-letter-writer");
        var assignment = Assert.Single(writer.At("properties", "template").GetProperty("resources").EnumerateArray());

        // The principal id exists only once the topic does, so the name is made in a module that receives it.
        Assert.Equal("[reference(resourceId('Microsoft.EventGrid/systemTopics', parameters('systemTopicName')), '2022-06-15', 'full').identity.principalId]", writer.At("properties", "parameters", "principalId", "value").GetString());
        Assert.Equal($"[guid(resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('storageAccountName'), 'default', parameters('deadLetterContainerName')), parameters('principalId'), '{DeadLetterWriterRole}')]", assignment.GetProperty("name").GetString());
        Assert.Equal("[parameters('principalId')]", assignment.At("properties", "principalId").GetString());
    }

    [Fact]
    public void DeadLettersToPrivateContainerWithTopicIdentityGivenSubscription()
    {
        var deadLetter = Subscription().At("properties", "deadLetterWithResourceIdentity");
        var destination = deadLetter.GetProperty("deadLetterDestination");
        var topic = Assert.Single(ArmTemplate.DeliveryEvents.ResourcesOfType("Microsoft.EventGrid/systemTopics"));

        Assert.Equal("SystemAssigned", deadLetter.At("identity", "type").GetString());
        Assert.Equal("SystemAssigned", topic.At("identity", "type").GetString());
        Assert.Equal("StorageBlob", destination.GetProperty("endpointType").GetString());
        Assert.Equal("[parameters('deadLetterContainerName')]", destination.At("properties", "blobContainerName").GetString());
        Assert.Equal("[variables('deadLetterContainerName')]", ArmTemplate.Main.Root.At("outputs", "DELIVERY_EVENTS_DEAD_LETTER_CONTAINER", "value").GetString());
        Assert.Contains(ArmTemplate.Main.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers"), c => c.GetProperty("name").GetString()!.Contains("deadLetterContainerName", StringComparison.Ordinal));
    }

    private static JsonElement Subscription() => Assert.Single(ArmTemplate.DeliveryEvents.ResourcesOfType("Microsoft.EventGrid/systemTopics/eventSubscriptions"));

    private static JsonElement ModuleTemplate() =>
        Assert.Single(ArmTemplate.DeliveryEvents.ResourcesOfType("Microsoft.Resources/deployments"), d => d.GetProperty("name").GetString() == "delivery-events")
            .At("properties", "template");

    // The function behind POST /api/events/delivery, by its route: a renamed function breaks this, not Azure.
    private static string DeliveryEventsFunctionName() =>
        typeof(OtpServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Single(m => m.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>()?.Route == "events/delivery"))
            .GetCustomAttribute<FunctionAttribute>()!.Name;
}
