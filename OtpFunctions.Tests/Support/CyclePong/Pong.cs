namespace OtpFunctions.Tests.Support.CyclePong;

/// <summary>The other half of the control cycle; it names <c>Ping</c> fully qualified, as a <c>using</c>-line check would miss.</summary>
public static class Pong
{
    public static int Returns(int times) => times <= 0 ? 0 : 1 + CyclePing.Ping.Hits(times - 1);
}
