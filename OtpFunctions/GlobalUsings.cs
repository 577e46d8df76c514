// Logging and options reach almost every service, and Core is the vocabulary every feature speaks (channels,
// results and errors, contention). The feature namespaces stay explicit, so each file's usings still show which
// other parts of the flow it depends on.
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;
global using OtpFunctions.Core;
