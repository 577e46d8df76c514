using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Http;

namespace OtpFunctions.Fraud;

/// <summary><c>GET /api/fraud/blocks</c> and <c>DELETE /api/fraud/blocks/{prefix}</c>: for operators, behind the function key.</summary>
public sealed class FraudFunctions(FraudBlocks blocks, ApiGuard guard)
{
    [Function("ListFraudBlocks")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "fraud/blocks")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync("fraud-blocks", async () => ApiResult.Ok(new BlocksView(await blocks.ListAsync(cancellationToken))), cancellationToken);

    [Function("LiftFraudBlock")]
    public Task<IActionResult> Lift([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "fraud/blocks/{prefix}")] HttpRequest request, string prefix, CancellationToken cancellationToken) =>
        guard.RunAsync("fraud-lift", async () => ApiResult.From(await blocks.LiftAsync(prefix, cancellationToken), _ => ApiResult.NoContent()), cancellationToken);

    private sealed record BlocksView(IReadOnlyList<BlockView> Blocks);
}
