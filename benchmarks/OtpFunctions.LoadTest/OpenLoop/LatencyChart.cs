using System.Globalization;
using System.Net;
using System.Text;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>
/// Draws latency against arrival rate as a plain SVG (no plotting package needed): send, verify and
/// code-in-hand percentiles on a log scale, and the saturation point as a dashed line.
/// </summary>
public static class LatencyChart
{
    private const double Width = 860;
    private const double Height = 500;
    private const double Left = 70;
    private const double Right = 210;
    private const double Top = 40;
    private const double Bottom = 50;

    private static readonly (string Name, string Color, string Dash, Func<StepResult, double> Value)[] Series =
    [
        ("send p50", "#1f77b4", "", step => step.Send.P50),
        ("send p95", "#1f77b4", "6,3", step => step.Send.P95),
        ("send p99", "#1f77b4", "2,3", step => step.Send.P99),
        ("verify p50", "#2ca02c", "", step => step.Verify.P50),
        ("verify p95", "#2ca02c", "6,3", step => step.Verify.P95),
        ("code in hand p50", "#ff7f0e", "", step => step.CodeInHand.P50),
        ("code in hand p95", "#ff7f0e", "6,3", step => step.CodeInHand.P95),
        ("code in hand p99", "#ff7f0e", "2,3", step => step.CodeInHand.P99),
    ];

    public static string Render(OpenLoopSummary summary)
    {
        var steps = summary.Steps;
        var maxRate = steps.Max(step => step.OfferedRate) * 1.05;
        var values = steps.SelectMany(step => Series.Select(series => series.Value(step))).Where(value => value > 0 && !double.IsNaN(value)).ToList();
        var lowDecade = Math.Floor(Math.Log10(Math.Max(0.1, values.DefaultIfEmpty(1).Min())));
        var highDecade = Math.Ceiling(Math.Log10(Math.Max(10, values.DefaultIfEmpty(10).Max())));
        double X(double rate) => Left + (rate / maxRate) * (Width - Left - Right);
        double Y(double ms) => Top + (highDecade - Math.Log10(Math.Max(ms, Math.Pow(10, lowDecade)))) / (highDecade - lowDecade) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"22\" font-size=\"15\">{Escape($"OTP open-loop latency vs arrival rate: {summary.Host}, {summary.Cores} cores, {summary.MeasuredAt:yyyy-MM-dd}")}</text>\n"));

        for (var decade = lowDecade; decade <= highDecade; decade++)
        {
            var y = Y(Math.Pow(10, decade));
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{FormatMs(Math.Pow(10, decade))}</text>\n"));
        }

        foreach (var step in steps)
        {
            var x = X(step.OfferedRate);
            svg.Append(Invariant($"<line x1=\"{x:0.#}\" y1=\"{Height - Bottom}\" x2=\"{x:0.#}\" y2=\"{Height - Bottom + 4}\" stroke=\"black\"/>"));
            svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{Height - Bottom + 17}\" text-anchor=\"middle\">{step.OfferedRate:0.#}</text>\n"));
        }

        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2:0.#}\" y=\"{Height - 12}\" text-anchor=\"middle\">arrival rate (sends per second, open loop)</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate(18 {(Top + Height - Bottom) / 2:0.#}) rotate(-90)\" text-anchor=\"middle\">latency (log scale)</text>\n"));

        if (summary.SaturationRate is { } saturation)
        {
            var x = X(saturation);
            svg.Append(Invariant($"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Height - Bottom}\" stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray=\"8,4\"/>"));
            svg.Append(Invariant($"<text x=\"{x + 4:0.#}\" y=\"{Top + 14}\" fill=\"#d62728\">saturation: {saturation:0.#}/s</text>\n"));
        }

        var legendY = Top + 10;
        foreach (var (name, color, dash, value) in Series)
        {
            var points = steps.Where(step => value(step) > 0 && !double.IsNaN(value(step))).Select(step => Invariant($"{X(step.OfferedRate):0.#},{Y(value(step)):0.#}")).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\" points=\"{string.Join(' ', points)}\"/>\n"));
            foreach (var point in points)
            {
                var xy = point.Split(',');
                svg.Append(Invariant($"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"2.5\" fill=\"{color}\"/>"));
            }

            svg.Append(Invariant($"<line x1=\"{Width - Right + 15}\" y1=\"{legendY:0.#}\" x2=\"{Width - Right + 45}\" y2=\"{legendY:0.#}\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 50}\" y=\"{legendY + 4:0.#}\">{name}</text>\n"));
            legendY += 18;
        }

        svg.Append(Invariant($"<text x=\"{Width - Right + 15}\" y=\"{legendY + 14:0.#}\">send capacity {summary.SendCapacity:0.#}/s</text>\n"));
        if (summary.DeliveryCapacity is { } delivery)
        {
            svg.Append(Invariant($"<text x=\"{Width - Right + 15}\" y=\"{legendY + 32:0.#}\">delivery capacity {delivery:0.#}/s</text>\n"));
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string FormatMs(double ms) => ms >= 1000 ? Invariant($"{ms / 1000:0.#} s") : Invariant($"{ms:0.#} ms");

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
