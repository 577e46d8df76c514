using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Callers;
using OtpFunctions.Delivery;

namespace OtpFunctions.Docs;

/// <summary><c>GET /api/openapi.json</c> and <c>GET /api/demo</c>: documents that ship inside the assembly.</summary>
public sealed class DocsFunctions(IOptions<CallerOptions> callers, IOptions<Configuration.OtpOptions> limits, DeliveryChannels channels)
{
    private readonly EmbeddedDocument openApi = EmbeddedDocument.OpenApi(limits.Value.CodeLength);
    private readonly EmbeddedDocument demo = EmbeddedDocument.Demo(
        callers.Value.BotCheck,
        Enum.GetValues<Channel>().Where(channels.IsConfigured).Select(channel => channel.ToWire()));

    [Function("OpenApi")]
    public IActionResult OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) => openApi;

    [Function("Demo")]
    public IActionResult Demo([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "demo")] HttpRequest request) => demo;
}
