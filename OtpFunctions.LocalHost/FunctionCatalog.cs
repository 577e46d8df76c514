using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace OtpFunctions.LocalHost;

/// <summary>One <c>[Function]</c> method and the trigger attribute that the Functions host would read.</summary>
public sealed record FunctionEntry(string Name, Type Type, MethodInfo Method, Attribute Trigger, ParameterInfo TriggerParameter);

/// <summary>
/// Finds every function by the same attributes the Worker SDK reads to write <c>functions.metadata</c>,
/// so the local host serves exactly the routes, queues and schedules that <c>func start</c> would.
/// </summary>
public sealed class FunctionCatalog
{
    private static readonly Type[] BindableTypes = [typeof(HttpRequest), typeof(CancellationToken), typeof(TimerInfo), typeof(string)];

    public FunctionCatalog(IReadOnlyList<FunctionEntry> functions) => Functions = functions;

    public IReadOnlyList<FunctionEntry> Functions { get; }

    public IEnumerable<(FunctionEntry Function, HttpTriggerAttribute Trigger)> Http =>
        Functions.Where(f => f.Trigger is HttpTriggerAttribute).Select(f => (f, (HttpTriggerAttribute)f.Trigger));

    public IEnumerable<(FunctionEntry Function, QueueTriggerAttribute Trigger)> Queues =>
        Functions.Where(f => f.Trigger is QueueTriggerAttribute).Select(f => (f, (QueueTriggerAttribute)f.Trigger));

    public IEnumerable<(FunctionEntry Function, TimerTriggerAttribute Trigger)> Timers =>
        Functions.Where(f => f.Trigger is TimerTriggerAttribute).Select(f => (f, (TimerTriggerAttribute)f.Trigger));

    public static FunctionCatalog Discover(Assembly assembly)
    {
        var functions = new List<FunctionEntry>();
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }

                var triggers = method.GetParameters()
                    .Select(p => (Parameter: p, Trigger: p.GetCustomAttributes().FirstOrDefault(a => a is HttpTriggerAttribute or QueueTriggerAttribute or TimerTriggerAttribute)))
                    .Where(p => p.Trigger is not null)
                    .ToArray();
                if (triggers.Length != 1)
                {
                    throw new InvalidOperationException($"Function {function.Name} needs exactly one HTTP, queue or timer trigger for the local host; it has {triggers.Length}.");
                }

                foreach (var parameter in method.GetParameters().Where(p => !BindableTypes.Contains(p.ParameterType)))
                {
                    throw new InvalidOperationException($"The local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}) of function {function.Name}.");
                }

                functions.Add(new FunctionEntry(function.Name, type, method, triggers[0].Trigger!, triggers[0].Parameter));
            }
        }

        return new FunctionCatalog(functions);
    }
}
