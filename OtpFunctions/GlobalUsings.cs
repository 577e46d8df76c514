// Logging and options reach almost every service; the feature namespaces stay explicit, so each file's usings
// still show which other parts of the flow it depends on.
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;
