using System.Text.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Infra;

/// <summary>A prefix judged pumped reaches an operator: an alert rule reads the very metric the fraud guard records.</summary>
public sealed class FraudAlertTests
{
    [Fact]
    public void AlertsOnTheFraudGuardsMetricGivenObservabilityModule()
    {
        var rules = ArmTemplate.Main.ResourcesOfType("Microsoft.Insights/scheduledQueryRules").ToList();

        var alert = Assert.Single(rules, rule => rule.At("properties", "displayName").GetString()!.Contains("fraud", StringComparison.OrdinalIgnoreCase));
        var criterion = Assert.Single(alert.At("properties", "criteria", "allOf").EnumerateArray());
        Assert.Contains("\"otp.fraud.blocks\"", Query(criterion), StringComparison.Ordinal);
        Assert.Equal("GreaterThan", criterion.GetProperty("operator").GetString());
        Assert.Equal(0, criterion.GetProperty("threshold").GetInt32());
        Assert.True(alert.At("properties", "enabled").GetBoolean());
    }

    [Fact]
    public void NamesAMetricTheServiceRecords()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), "OtpFunctions", "Telemetry", "OtpMetrics.cs"));

        Assert.Contains("\"otp.fraud.blocks\"", source, StringComparison.Ordinal);
    }

    // Bicep compiles a query kept in a variable to [variables('name')]: read it from the module that declares it.
    private static string Query(JsonElement criterion)
    {
        var query = criterion.GetProperty("query").GetString()!;
        var variable = System.Text.RegularExpressions.Regex.Match(query, @"^\[variables\('(\w+)'\)\]$");
        return !variable.Success ? query : Assert.Single(
            ArmTemplate.Main.Templates()
                .Where(template => template.TryGetProperty("variables", out var variables) && variables.TryGetProperty(variable.Groups[1].Value, out _))
                .Select(template => template.At("variables", variable.Groups[1].Value).GetString()!));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "OtpFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }
}
