using System.Reflection;
using Microsoft.Extensions.Logging;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Tests.Telemetry;

/// <summary>Dashboards, alerts and docs find a log line by its EventId, so an id must name one message only.</summary>
public sealed class OtpLogEventIdTests
{
    private static readonly (MethodInfo Method, LoggerMessageAttribute Attribute)[] LogMethods =
        typeof(OtpLog).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()!))
            .Where(log => log.Attribute is not null)
            .ToArray();

    [Fact]
    public void GivesEveryLogMessageItsOwnEventId()
    {
        var shared = LogMethods
            .GroupBy(log => log.Attribute.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(log => $"{log.Method.DeclaringType!.Name}.{log.Method.Name}"))}");

        Assert.True(LogMethods.Length > 30, $"only {LogMethods.Length} [LoggerMessage] methods found: the reflection no longer sees them");
        Assert.Empty(shared);
    }

    [Fact]
    public void KeepsEveryLogMessageInOtpLog()
    {
        Assert.All(LogMethods, log => Assert.Equal(typeof(OtpLog), log.Method.DeclaringType));
    }

    [Theory]
    [InlineData(nameof(OtpLog.CodeIssued), 1)]
    [InlineData(nameof(OtpLog.BotCheckRefused), 1)]
    [InlineData(nameof(OtpLog.DeliveryPoisoned), 2)]
    [InlineData(nameof(OtpLog.CodeForDevelopment), 2)]
    [InlineData(nameof(OtpLog.SweepCompleted), 3)]
    [InlineData(nameof(OtpLog.StorageNotReady), 4)]
    [InlineData(nameof(OtpLog.WebhookPoisoned), 6)]
    [InlineData(nameof(OtpLog.EntraTokenRefused), 7)]
    [InlineData(nameof(OtpLog.PrefixBlocked), 8)]
    public void NumbersEachMessageInItsFeatureRange(string method, int thousands)
    {
        var log = Assert.Single(LogMethods, log => log.Method.Name == method);

        Assert.Equal(thousands, log.Attribute.EventId / 1000);
    }
}
