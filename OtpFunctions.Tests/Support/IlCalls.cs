using System.Reflection;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// The methods a compiled method calls, read from its IL: proves how a rule decides (a constant-time comparison, say)
/// where no observable result could, without timing anything.
/// </summary>
public static class IlCalls
{
    // call, callvirt and newobj: each is followed by a four-byte method token.
    private static readonly byte[] CallOpcodes = [0x28, 0x6F, 0x73];

    public static IReadOnlyList<MethodBase> Of(Type type, string methodName)
    {
        var methods = type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(method => method.Name == methodName)
            .ToArray();
        Assert.NotEmpty(methods);
        return methods.SelectMany(Calls).ToList();
    }

    private static IEnumerable<MethodBase> Calls(MethodInfo method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var genericTypeArguments = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var genericMethodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at + 4 < il.Length; at++)
        {
            if (Array.IndexOf(CallOpcodes, il[at]) < 0)
            {
                continue;
            }

            // A byte that only looks like an opcode (inside an operand) yields a token that resolves to nothing: skipped.
            MethodBase? called;
            try
            {
                called = method.Module.ResolveMethod(BitConverter.ToInt32(il, at + 1), genericTypeArguments, genericMethodArguments);
            }
            catch (Exception exception) when (exception is ArgumentException or BadImageFormatException or MissingMethodException or TypeLoadException)
            {
                called = null;
            }

            if (called is not null)
            {
                yield return called;
            }
        }
    }
}
