using OtpFunctions.Challenges;

namespace OtpFunctions.Tests.Challenges;

public sealed class CodeGeneratorTests
{
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
        for (var i = 0; i < 20_000; i++)
        {
            foreach (var c in CodeGenerator.Generate(10))
            {
                counts[c - '0']++;
            }
        }

        // Chi-square with 9 degrees of freedom: 27.88 is the 0.1% critical value.
        var expected = 200_000 / 10.0;
        var chiSquare = counts.Sum(count => Math.Pow(count - expected, 2) / expected);
        Assert.True(chiSquare < 27.88, $"digit counts look biased: {string.Join(',', counts)} (chi2 {chiSquare:F1})");
    }

    [Fact]
    public void ReturnsDistinctUrlSafeTokens()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => CodeGenerator.NewToken()).ToHashSet();

        Assert.Equal(1000, tokens.Count);
        Assert.All(tokens, token => Assert.Matches("^[A-Za-z0-9_-]{22}$", token));
    }
}
