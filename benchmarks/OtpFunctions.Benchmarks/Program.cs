using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

// Every benchmark reports allocations: the hot paths of a request should allocate little.
var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(OtpFunctions.Benchmarks.TestSecrets).Assembly).Run(args, config);
