using OtpFunctions.Security;

namespace OtpFunctions.Tests.Security;

public sealed class CodeGeneratorTests
{
    // Upper 1e-10 tail of chi-square with 9 degrees of freedom: a statistical test must not fail CI by bad luck.
    private const double ChiSquareCritical = 65.0;

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(10)]
    public void ReturnsDigitsOfRequestedLength(int length)
    {
        var code = CodeGenerator.Generate(length);

        Assert.Equal(length, code.Length);
        Assert.All(code, c => Assert.True(char.IsAsciiDigit(c)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    public void ThrowsGivenLengthOutsideFourToTen(int length) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CodeGenerator.Generate(length));

    [Fact]
    public void DrawsEveryDigitUniformly()
    {
        var counts = new int[10];
        for (var i = 0; i < 100_000; i++)
        {
            foreach (var c in CodeGenerator.Generate(10))
            {
                counts[c - '0']++;
            }
        }

        // Chi-square with 9 degrees of freedom: 65 is the 1e-10 critical value, so an unbiased generator fails this
        // about once in ten billion runs. Folding bytes 250-255 in with % 10 would score about 370 on a million digits.
        var expected = 1_000_000 / 10.0;
        var chiSquare = counts.Sum(count => Math.Pow(count - expected, 2) / expected);
        Assert.True(chiSquare < ChiSquareCritical, $"digit counts look biased: {string.Join(',', counts)} (chi2 {chiSquare:F1})");
    }

    [Fact]
    public void DrawsEveryPositionUniformly()
    {
        // Catches a digit reused across positions or a position that never varies, which whole-code counts miss.
        var counts = new int[6, 10];
        for (var i = 0; i < 20_000; i++)
        {
            var code = CodeGenerator.Generate(6);
            for (var position = 0; position < 6; position++)
            {
                counts[position, code[position] - '0']++;
            }
        }

        for (var position = 0; position < 6; position++)
        {
            var chiSquare = Enumerable.Range(0, 10).Sum(digit => Math.Pow(counts[position, digit] - 2_000.0, 2) / 2_000.0);
            // A reused or constant position scores in the tens of thousands; chance alone passes 65 but once in 1e10.
            Assert.True(chiSquare < ChiSquareCritical, $"position {position} looks biased (chi2 {chiSquare:F1})");
        }
    }

    [Fact]
    public void RejectsBytesThatWouldBiasTheDigits()
    {
        // 250-255 would make 0-5 likelier if folded in with % 10: they must be skipped, not mapped.
        byte[] random = [255, 250, 249, 0, 253, 10, 251, 7];
        var digits = new char[4];

        var filled = CodeGenerator.TakeDigits(random, digits, 0);

        Assert.Equal(4, filled);
        Assert.Equal("9007", new string(digits));
    }

    [Fact]
    public void KeepsDrawingWhenABufferIsMostlyRejected()
    {
        var digits = new char[4];

        var filled = CodeGenerator.TakeDigits([252, 3, 254], digits, 0);
        filled = CodeGenerator.TakeDigits([255, 5, 6, 7, 8], digits, filled);

        Assert.Equal(4, filled);
        Assert.Equal("3567", new string(digits));
    }

    [Fact]
    public void ReturnsDistinctUrlSafeTokens()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => CodeGenerator.NewToken()).ToHashSet();

        Assert.Equal(1000, tokens.Count);
        Assert.All(tokens, token => Assert.Matches("^[A-Za-z0-9_-]{22}$", token));
    }
}
