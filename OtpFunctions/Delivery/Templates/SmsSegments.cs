namespace OtpFunctions.Delivery.Templates;

/// <summary>GSM 03.38 / UCS-2 segment arithmetic (160/153 septets, 70/67 UTF-16 units).</summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // Extension characters cost an escape septet plus their own.
    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static SmsSegmentCount Count(string text)
    {
        var septets = 0;
        foreach (var c in text)
        {
            if (BasicSet.Contains(c))
            {
                septets++;
            }
            else if (ExtensionSet.Contains(c))
            {
                septets += 2;
            }
            else
            {
                // UCS-2 counts UTF-16 code units, so characters outside the BMP cost two.
                return new SmsSegmentCount(SmsEncoding.Ucs2, text.Length, Segments(text.Length, single: 70, multi: 67));
            }
        }

        return new SmsSegmentCount(SmsEncoding.Gsm7, septets, Segments(septets, single: 160, multi: 153));
    }

    private static int Segments(int units, int single, int multi) =>
        units <= single ? 1 : (units + multi - 1) / multi;
}
