using System.Diagnostics;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Runs an azd hook script (scripts/azd/*.sh) the way azd does (sh, from the repository root, the azd environment
/// as environment variables) with fake <c>az</c>, <c>azd</c> and <c>curl</c> first on the PATH. The fakes record
/// each call (and the Event Grid key each <c>az</c> call sees) in a log; <c>az provider list</c> prints the given
/// namespaces; <c>curl</c> answers the given HTTP statuses in turn, repeating the last.
/// </summary>
public sealed class FakeAzureTools : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("otp-hooks-").FullName;

    public FakeAzureTools(IEnumerable<string> registeredProviders, params string[] curlStatuses)
    {
        File.WriteAllLines(Path.Combine(directory, "providers"), registeredProviders);
        File.WriteAllLines(Path.Combine(directory, "statuses"), curlStatuses.Length == 0 ? ["401"] : curlStatuses);
        Write("az", """
            printf 'az %s | key=%s\n' "$*" "${OTP_EVENTGRID_KEY:-}" >> "$FAKE_TOOLS/calls"
            if [ "$1 $2" = "provider list" ]; then cat "$FAKE_TOOLS/providers"; fi
            """);
        Write("azd", """printf 'azd %s\n' "$*" >> "$FAKE_TOOLS/calls" """);
        Write("curl", """
            printf 'curl %s\n' "$*" >> "$FAKE_TOOLS/calls"
            status="$(head -n 1 "$FAKE_TOOLS/statuses")"
            if [ "$(wc -l < "$FAKE_TOOLS/statuses")" -gt 1 ]; then tail -n +2 "$FAKE_TOOLS/statuses" > "$FAKE_TOOLS/rest"; mv "$FAKE_TOOLS/rest" "$FAKE_TOOLS/statuses"; fi
            printf '%s' "$status"
            """);
    }

    /// <summary>Every recorded call, in order.</summary>
    public IReadOnlyList<string> Calls() =>
        File.Exists(Path.Combine(directory, "calls")) ? File.ReadAllLines(Path.Combine(directory, "calls")) : [];

    public async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, IReadOnlyDictionary<string, string> environment, bool withoutAz = false)
    {
        if (withoutAz)
        {
            File.Delete(Path.Combine(directory, "az"));
        }

        var start = new ProcessStartInfo("sh", [script])
        {
            WorkingDirectory = Infra.ArmTemplate.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only what azd would pass: a clean environment, so the test machine's own variables cannot leak in.
        start.Environment.Clear();
        start.Environment["PATH"] = $"{directory}:/usr/local/bin:/usr/bin:/bin";
        start.Environment["FAKE_TOOLS"] = directory;
        start.Environment["OTP_WAIT_SECONDS"] = "0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output, await errors);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private void Write(string name, string body)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        // The hooks are POSIX sh scripts; these tests run where sh does.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
