using BenchmarkDotNet.Attributes;
using OtpFunctions.Challenges;
using OtpFunctions.Security;

namespace OtpFunctions.Benchmarks;

/// <summary>What send and verify spend on codes: drawing one, hashing it, and the constant-time check.</summary>
public class CodeBenchmarks
{
    private OtpHasher hasher = null!;
    private string challengeId = null!;
    private string code = null!;
    private string storedHash = null!;

    [Params(6)]
    public int CodeLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        hasher = new OtpHasher(TestSecrets.Create());
        challengeId = ChallengeId.Create("AAAAAAAAAAAAAAAAAAAAAA", CodeGenerator.NewToken()).Value;
        code = CodeGenerator.Generate(CodeLength);
        storedHash = hasher.HashCode(challengeId, code);
    }

    [Benchmark]
    public string Generate() => CodeGenerator.Generate(CodeLength);

    [Benchmark]
    public string HashCode() => hasher.HashCode(challengeId, code);

    [Benchmark]
    public bool CodeMatches() => hasher.CodeMatches(challengeId, code, storedHash);
}
