using System.Globalization;

namespace OtpFunctions.Tests.Support;

/// <summary>Fresh numbers inside one range (+234803…), so a test can pump a prefix or fill it with real users.</summary>
public static class PhoneRanges
{
    private static int next = Random.Shared.Next(1_000_000);

    /// <summary>A Nigerian mobile number in <paramref name="prefix"/> (+234 and three digits: seven more follow).</summary>
    public static string Nigeria(string prefix) => prefix + Next(7);

    /// <summary>A UK mobile number in <paramref name="prefix"/> (+44 and four digits: six more follow).</summary>
    public static string Uk(string prefix) => prefix + Next(6);

    private static string Next(int digits) =>
        (Interlocked.Increment(ref next) % (int)Math.Pow(10, digits)).ToString(new string('0', digits), CultureInfo.InvariantCulture);
}
