using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using OtpFunctions.Security;

namespace OtpFunctions.Benchmarks;

/// <summary>Random keys for one benchmark process, loaded the way the service loads them in Development.</summary>
public static class TestSecrets
{
    public static OtpSecrets Create() =>
        OtpSecrets.Load(new ConfigurationBuilder().Build(), new DevelopmentEnvironment());

    private sealed class DevelopmentEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;

        public string ApplicationName { get; set; } = "OtpFunctions.Benchmarks";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
