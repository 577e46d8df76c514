using OtpFunctions.LocalHost;

// The same function classes as `func start`, on Kestrel at http://127.0.0.1:7071.
var builder = LocalFunctionsHost.CreateBuilder(args);
LocalFunctionsHost.Build(builder).Run();
