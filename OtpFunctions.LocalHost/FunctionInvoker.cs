using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace OtpFunctions.LocalHost;

/// <summary>Creates a function class from DI per invocation, as the worker does, and binds its parameters.</summary>
public static class FunctionInvoker
{
    public static async Task InvokeHttpAsync(FunctionEntry function, HttpContext context)
    {
        var arguments = function.Method.GetParameters().Select(parameter => parameter.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => context.Request,
            var t when t == typeof(CancellationToken) => context.RequestAborted,
            _ => (object?)context.Request.RouteValues[parameter.Name!]?.ToString(),
        }).ToArray();
        var result = await InvokeAsync(function, context.RequestServices, arguments);
        if (result is IActionResult action)
        {
            await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        }
    }

    public static Task InvokeQueueAsync(FunctionEntry function, IServiceProvider services, string message, CancellationToken cancellationToken) =>
        InvokeAsync(function, services, Bind(function, message, cancellationToken));

    public static Task InvokeTimerAsync(FunctionEntry function, IServiceProvider services, TimerInfo timer, CancellationToken cancellationToken) =>
        InvokeAsync(function, services, Bind(function, timer, cancellationToken));

    private static object?[] Bind(FunctionEntry function, object trigger, CancellationToken cancellationToken) =>
        function.Method.GetParameters().Select(parameter => parameter == function.TriggerParameter ? trigger : (object?)cancellationToken).ToArray();

    private static async Task<object?> InvokeAsync(FunctionEntry function, IServiceProvider services, object?[] arguments)
    {
        using var scope = services.CreateScope();
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Type);
        object? returned;
        try
        {
            returned = function.Method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }

        if (returned is not Task task)
        {
            return returned;
        }

        await task;
        return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
    }
}
