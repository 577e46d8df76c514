using Mono.Cecil;
using Mono.Cecil.Cil;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Which folders (namespaces one level under a root) use which, read from the compiled assembly: every type a type
/// names in its base, interfaces, fields, signatures and method bodies, its compiler-made nested types (lambdas,
/// async state machines) counted as its own. Read from IL rather than <c>using</c> lines, so a fully qualified name
/// or a global using cannot hide an edge.
/// </summary>
public sealed class FolderGraph
{
    private readonly IReadOnlyDictionary<(string From, string To), SortedSet<string>> causes;

    private FolderGraph(IReadOnlyDictionary<string, IReadOnlySet<string>> edges, IReadOnlyDictionary<(string From, string To), SortedSet<string>> causes)
    {
        Edges = edges;
        this.causes = causes;
    }

    /// <summary>Folder → the folders it uses (never itself).</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Edges { get; }

    /// <summary>Which types make the edge <paramref name="from"/> → <paramref name="to"/> (<c>CodeIssuer → ApiError</c>).</summary>
    public IReadOnlySet<string> CausesOf(string from, string to) => causes.GetValueOrDefault((from, to)) ?? [];

    public int EdgeCount => Edges.Values.Sum(uses => uses.Count);

    public static FolderGraph Read(string assemblyPath, string rootNamespace)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var causes = new Dictionary<(string From, string To), SortedSet<string>>();
        foreach (var type in module.GetTypes())
        {
            if (FolderOf(type, rootNamespace) is not { } from)
            {
                continue;
            }

            var uses = edges.TryGetValue(from, out var known) ? known : edges[from] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reference in Referenced(type))
            {
                if (FolderOf(reference, rootNamespace) is { } used && used != from)
                {
                    uses.Add(used);
                    var cause = causes.TryGetValue((from, used), out var seen) ? seen : causes[(from, used)] = new SortedSet<string>(StringComparer.Ordinal);
                    cause.Add(Outermost(type).Name + " → " + Outermost(reference).Name);
                }
            }
        }

        return new FolderGraph(edges.ToDictionary(pair => pair.Key, pair => (IReadOnlySet<string>)pair.Value, StringComparer.Ordinal), causes);
    }

    /// <summary>Each group of folders that reach one another (a strongly connected component of more than one folder).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var folder in Edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(folder))
            {
                Connect(folder);
            }
        }

        return cycles;

        void Connect(string folder)
        {
            index[folder] = low[folder] = index.Count;
            stack.Push(folder);
            foreach (var next in Edges.GetValueOrDefault(folder) ?? new HashSet<string>())
            {
                if (!index.ContainsKey(next))
                {
                    Connect(next);
                    low[folder] = Math.Min(low[folder], low[next]);
                }
                else if (stack.Contains(next) && index.TryGetValue(next, out var seen))
                {
                    low[folder] = Math.Min(low[folder], seen);
                }
            }

            if (low[folder] == index[folder])
            {
                var group = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    group.Add(member);
                }
                while (member != folder);
                if (group.Count > 1)
                {
                    cycles.Add(group.Order(StringComparer.Ordinal).ToList());
                }
            }
        }
    }

    /// <summary>
    /// The folders by layer, when there is no cycle: layer 0 uses no other folder, each later one only folders of the
    /// layers before it (the order to read the tree in, bottom up).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Layers()
    {
        var layerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var folders = Edges.Keys.Concat(Edges.Values.SelectMany(uses => uses)).Distinct(StringComparer.Ordinal).ToList();
        while (layerOf.Count < folders.Count)
        {
            var ready = folders.Where(folder => !layerOf.ContainsKey(folder) && (Edges.GetValueOrDefault(folder) ?? new HashSet<string>()).All(layerOf.ContainsKey)).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("The folders form a cycle; see Cycles().");
            }

            foreach (var folder in ready)
            {
                layerOf[folder] = (Edges.GetValueOrDefault(folder) ?? new HashSet<string>()).Select(used => layerOf[used] + 1).DefaultIfEmpty(0).Max();
            }
        }

        return layerOf.GroupBy(pair => pair.Value).OrderBy(group => group.Key)
            .Select(group => (IReadOnlyList<string>)group.Select(pair => pair.Key).Order(StringComparer.Ordinal).ToList()).ToList();
    }

    /// <summary>Each folder of <paramref name="cycle"/> with the folders of the cycle it uses, to show why the cycle exists.</summary>
    public string Explain(IReadOnlyList<string> cycle) =>
        string.Join("; ", cycle.SelectMany(folder => (Edges.GetValueOrDefault(folder) ?? new HashSet<string>()).Where(cycle.Contains).Order(StringComparer.Ordinal)
            .Select(used => $"{folder} → {used} ({string.Join(", ", CausesOf(folder, used))})")));

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static string? FolderOf(TypeReference type, string rootNamespace)
    {
        type = Outermost(type);
        var space = type.Namespace;
        if (!space.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = space[(rootNamespace.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static IEnumerable<TypeReference> Referenced(TypeDefinition type)
    {
        var direct = new List<TypeReference>();
        if (type.BaseType is not null)
        {
            direct.Add(type.BaseType);
        }

        direct.AddRange(type.Interfaces.Select(implementation => implementation.InterfaceType));
        direct.AddRange(type.Fields.Select(field => field.FieldType));
        direct.AddRange(type.Properties.Select(property => property.PropertyType));
        foreach (var method in type.Methods)
        {
            direct.Add(method.ReturnType);
            direct.AddRange(method.Parameters.Select(parameter => parameter.ParameterType));
            if (method.HasBody)
            {
                direct.AddRange(method.Body.Variables.Select(variable => variable.VariableType));
                direct.AddRange(method.Body.Instructions.SelectMany(OperandTypes));
            }
        }

        return direct.SelectMany(Expand);
    }

    private static IEnumerable<TypeReference> OperandTypes(Instruction instruction) => instruction.Operand switch
    {
        TypeReference type => [type],
        MethodReference method => [method.DeclaringType, method.ReturnType, .. method.Parameters.Select(parameter => parameter.ParameterType), .. (method as GenericInstanceMethod)?.GenericArguments ?? []],
        FieldReference field => [field.DeclaringType, field.FieldType],
        _ => [],
    };

    /// <summary>A type and what it is made of: element types of arrays and by-refs, generic arguments.</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType generic:
                yield return generic.ElementType;
                foreach (var argument in generic.GenericArguments.SelectMany(Expand))
                {
                    yield return argument;
                }

                break;
            case TypeSpecification specification:
                foreach (var element in Expand(specification.ElementType))
                {
                    yield return element;
                }

                break;
            case GenericParameter:
                break;
            default:
                yield return type;
                break;
        }
    }
}
