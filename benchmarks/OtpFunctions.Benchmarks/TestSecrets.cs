using OtpFunctions.Security;

namespace OtpFunctions.Benchmarks;

/// <summary>Random keys for one benchmark process, generated the way the service generates them in Development.</summary>
public static class TestSecrets
{
    public static OtpSecrets Create() => OtpSecrets.Create(new SecretOptions().GenerateMissing());
}
