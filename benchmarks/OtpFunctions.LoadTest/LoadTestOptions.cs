using System.Globalization;

namespace OtpFunctions.LoadTest;

/// <summary><c>--concurrency 32 --duration 20s --warmup 3s</c>; durations take <c>20s</c>, <c>500ms</c>, <c>1m</c> or <c>00:00:20</c>.</summary>
public sealed record LoadTestOptions(int Concurrency, TimeSpan Duration, TimeSpan Warmup)
{
    public static LoadTestOptions Parse(string[] args)
    {
        var options = new LoadTestOptions(32, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(3));
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--concurrency" => options with { Concurrency = int.Parse(value, CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = ParseDuration(value) },
                "--warmup" => options with { Warmup = ParseDuration(value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Usage: --concurrency 32 --duration 20s [--warmup 3s]"),
            };
            i++;
        }

        if (options.Concurrency < 1 || options.Duration <= TimeSpan.Zero || options.Warmup < TimeSpan.Zero)
        {
            throw new ArgumentException("--concurrency must be at least 1, --duration positive and --warmup not negative.");
        }

        return options;
    }

    public static TimeSpan ParseDuration(string text)
    {
        var number = (string digits) => double.Parse(digits, CultureInfo.InvariantCulture);
        return text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(number(text[..^2])),
            _ when text.EndsWith('s') => TimeSpan.FromSeconds(number(text[..^1])),
            _ when text.EndsWith('m') => TimeSpan.FromMinutes(number(text[..^1])),
            _ => TimeSpan.Parse(text, CultureInfo.InvariantCulture),
        };
    }
}
