using System.Diagnostics;
using System.Text.RegularExpressions;
using OtpFunctions.Tests.Callers;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Clients;

/// <summary>
/// Runs the JavaScript client's own tests (<c>node --test clients/js/test/</c>, against the built
/// <c>clients/js/dist/index.js</c>) against the service on Azurite. Each delivered code is written to a file named by
/// its challenge id, which the tests read as a user reads their messages.
/// </summary>
public sealed partial class JsClientTests
{
    private const string ApiKey = "js-client-test-key-0123456789abcdef";

    [Fact]
    public async Task PassesItsNodeTestsGivenRunningService()
    {
        var client = Path.Combine(RepoRoot.Path, "clients", "js");
        Assert.True(File.Exists(Path.Combine(client, "dist", "index.js")), "clients/js/dist/index.js is missing: run `npm ci --prefix clients/js && npm run build --prefix clients/js` (scripts/test does).");

        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?>
        {
            ["Otp:ApiKeys:jsclient:Sha256"] = ServerCallerTests.Sha256Hex(ApiKey),
            ["Otp:ApiKeys:jsclient:Purposes"] = "login,server_only",
        });
        var codes = Directory.CreateTempSubdirectory("js-client-codes-").FullName;
        using var stop = new CancellationTokenSource();
        var copying = CopyCodesAsync(host, codes, stop.Token);

        using var node = Process.Start(new ProcessStartInfo("node")
        {
            ArgumentList = { "--test", "--test-reporter=spec", "--test-concurrency=1", "test/" },
            WorkingDirectory = client,
            Environment =
            {
                ["OTP_BASE_URL"] = host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority),
                ["OTP_CODES_DIR"] = codes,
                ["OTP_API_KEY"] = ApiKey,
                ["NO_COLOR"] = "1",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("node did not start.");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        try
        {
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }

            await stop.CancelAsync();
            await copying;
            Directory.Delete(codes, recursive: true);
        }

        var log = $"stdout:\n{await output}\nstderr:\n{await errors}";
        Assert.True(node.ExitCode == 0, $"node --test exited {node.ExitCode}\n{log}");
        // The spec reporter's summary: some tests ran, none failed.
        Assert.Matches(@"\bpass [1-9]\d*", await output);
        Assert.Matches(@"\bfail 0\b", await output);
    }

    /// <summary>Writes each delivered code over its challenge's file (atomically, so a reader never sees half a code).</summary>
    private static async Task CopyCodesAsync(OtpHost host, string folder, CancellationToken cancellationToken)
    {
        var copied = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var request in host.Delivery.Requests.Skip(copied).ToList())
            {
                var path = Path.Combine(folder, request.ChallengeId);
                await File.WriteAllTextAsync(path + ".tmp", Code().Match(request.Message.Text).Value, CancellationToken.None);
                File.Move(path + ".tmp", path, overwrite: true);
                copied++;
            }

            await Task.Delay(25, CancellationToken.None);
        }
    }

    [GeneratedRegex(@"\b\d{4,10}\b")]
    private static partial Regex Code();
}
