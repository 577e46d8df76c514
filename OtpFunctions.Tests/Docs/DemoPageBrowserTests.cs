using System.Diagnostics;
using System.Text.RegularExpressions;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Docs;

/// <summary>
/// Drives GET /api/demo in headless Chromium (playwright-core from npm, Debian's chromium) through the
/// whole flow. The code comes from the capturing provider, handed to the script through a file.
/// </summary>
public sealed partial class DemoPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task ShowsSessionGivenCodeEnteredInDemoPage()
    {
        Assert.True(File.Exists(Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? Chromium), $"{Chromium} is missing: install it with `apt-get install -y chromium` (scripts/test does), or set CHROMIUM_PATH.");
        var script = Path.Combine(RepoRoot.Path, "tests", "browser", "demo-flow.mjs");
        Assert.True(Directory.Exists(Path.Combine(RepoRoot.Path, "node_modules", "playwright-core")), $"playwright-core is not installed: run `npm ci` in {RepoRoot.Path}.");

        await using var host = await OtpHost.StartAsync();
        var codeFile = Path.Combine(Directory.CreateTempSubdirectory("demo-flow-").FullName, "code.txt");
        var screenshot = Path.Combine(RepoRoot.Path, "artifacts", "demo-flow.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        var baseUrl = host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        using var node = Process.Start(new ProcessStartInfo("node")
        {
            ArgumentList = { script, baseUrl, codeFile, screenshot },
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("node did not start.");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        try
        {
            var code = await FirstCodeAsync(host, node);
            if (code is not null)
            {
                await File.WriteAllTextAsync(codeFile + ".tmp", code);
                File.Move(codeFile + ".tmp", codeFile);
            }

            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }

        var log = $"stdout:\n{await output}\nstderr:\n{await errors}";
        Assert.True(node.ExitCode == 0, $"demo-flow.mjs exited {node.ExitCode}\n{log}");
        Assert.True(File.Exists(screenshot), $"no screenshot at {screenshot}\n{log}");
        Assert.Contains("session shown for +1415", await output, StringComparison.Ordinal);
    }

    /// <summary>The code of the first message this host delivers, or null if the script gave up first.</summary>
    private static async Task<string?> FirstCodeAsync(OtpHost host, Process node)
    {
        // Stops early when the script exits, so its own log (asserted by the caller) says why nothing was sent.
        var request = await Eventually.GetAsync(
            () => Task.FromResult(host.Delivery.Requests.FirstOrDefault()),
            found => found is not null || node.HasExited,
            _ => "the demo page sent no code",
            TimeSpan.FromSeconds(60));
        return request is null ? null : Code().Match(request.Message.Text).Value;
    }

    [GeneratedRegex(@"\b\d{4,10}\b")]
    private static partial Regex Code();
}
