using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Infra;

/// <summary>
/// Evaluates the compiled template's app settings the way Azure Resource Manager would for one set of
/// parameters: template expressions (<c>[format(...)]</c>, <c>if</c>, <c>parameters</c>, module outputs) are
/// computed, and what only exists once deployed (a storage endpoint, an identity's client id, the App Insights
/// connection string) is filled in with the value's documented shape. Key Vault references are resolved to
/// the secret the template writes, as the platform does before the app starts. Anything it cannot resolve
/// throws, so a new kind of expression fails the tests instead of slipping through unevaluated.
/// </summary>
internal sealed class ArmEvaluator
{
    public const string IdentityClientId = "7f0e6bd5-3c43-4b7a-9b1e-0c55a1d3e001";
    private const string Location = "westeurope";

    private readonly Scope root;

    public ArmEvaluator(JsonElement template, IReadOnlyDictionary<string, object?> parameters) =>
        root = new Scope(template, parameters, null, this);

    /// <summary>The app settings as the Function App receives them, Key Vault references resolved.</summary>
    public IReadOnlyDictionary<string, string> AppSettings()
    {
        var (scope, config) = FindResource(root, "Microsoft.Web/sites/config", r => r.GetProperty("name").GetString()!.Contains("'appsettings'", StringComparison.Ordinal));
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in AsObject(scope.Evaluate(config.GetProperty("properties"))))
        {
            var value = Convert.ToString(property.Value, CultureInfo.InvariantCulture) ?? "";
            settings[property.Key] = value.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal) ? ResolveKeyVaultReference(value) : value;
        }

        return settings;
    }

    /// <summary>One part of every resource of a type, evaluated in its module with these parameters.</summary>
    public IReadOnlyList<object?> Evaluate(string type, Func<JsonElement, JsonElement> select) =>
        EvaluateEach(type, select).Select(x => x.Value).ToList();

    /// <summary>Like <see cref="Evaluate"/>, with the compiled resource each value came from.</summary>
    public IReadOnlyList<(JsonElement Resource, object? Value)> EvaluateEach(string type, Func<JsonElement, JsonElement> select) =>
        AllResources(root)
            .Where(x => string.Equals(x.Resource.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase))
            .Select(x => (x.Resource, x.Scope.Evaluate(select(x.Resource))))
            .ToList();

    // "@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/)" -> the value the template writes to <name>.
    private string ResolveKeyVaultReference(string reference)
    {
        var uri = new Uri(reference["@Microsoft.KeyVault(SecretUri=".Length..^1]);
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        Assert.Equal("secrets", segments[0]);
        var vault = uri.Host.Split('.')[0];
        // Looped secrets (the webhook endpoints') are named by copyIndex(); the settings checked here never reference them.
        var (scope, secret) = FindResource(root, "Microsoft.KeyVault/vaults/secrets", r => !r.TryGetProperty("copy", out _), (s, r) => (string)s.Evaluate(r.GetProperty("name"))! == $"{vault}/{segments[1]}");
        return Convert.ToString(scope.Evaluate(secret.At("properties", "value")), CultureInfo.InvariantCulture)!;
    }

    private static (Scope Scope, JsonElement Resource) FindResource(Scope scope, string type, Func<JsonElement, bool> match, Func<Scope, JsonElement, bool>? evaluatedMatch = null)
    {
        var found = AllResources(scope)
            .Where(x => string.Equals(x.Resource.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase) && match(x.Resource))
            .Where(x => evaluatedMatch is null || evaluatedMatch(x.Scope, x.Resource))
            .ToList();
        Assert.True(found.Count == 1, $"expected one {type} in the template, found {found.Count}");
        return found[0];
    }

    private static IEnumerable<(Scope Scope, JsonElement Resource)> AllResources(Scope scope)
    {
        foreach (var resource in Resources(scope.Template))
        {
            yield return (scope, resource);
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            {
                foreach (var inner in AllResources(scope.Module(resource)))
                {
                    yield return inner;
                }
            }
        }
    }

    private static IEnumerable<JsonElement> Resources(JsonElement template) =>
        !template.TryGetProperty("resources", out var resources) ? []
        : resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray()
        : resources.EnumerateObject().Select(p => p.Value);

    private static IDictionary<string, object?> AsObject(object? value) =>
        value as IDictionary<string, object?> ?? throw new InvalidOperationException($"expected an object, got {value}");

    /// <summary>One template (main or a module) with its parameter values.</summary>
    private sealed class Scope
    {
        private readonly IReadOnlyDictionary<string, object?> given;
        private readonly Dictionary<string, object?> parameters = new(StringComparer.OrdinalIgnoreCase);
        private readonly ArmEvaluator evaluator;
        private int copyIndex = -1;

        public Scope(JsonElement template, IReadOnlyDictionary<string, object?> given, Scope? parent, ArmEvaluator evaluator)
        {
            Template = template;
            this.given = given;
            Parent = parent;
            this.evaluator = evaluator;
        }

        public JsonElement Template { get; }

        public Scope? Parent { get; }

        public Scope Module(JsonElement deployment)
        {
            var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            if (deployment.GetProperty("properties").TryGetProperty("parameters", out var parameterValues))
            {
                foreach (var parameter in parameterValues.EnumerateObject())
                {
                    // A parameter built by a loop ([for ...] in Bicep): {"copy": [{"name": "value", "count", "input"}]}.
                    if (parameter.Value.ValueKind == JsonValueKind.Object && parameter.Value.TryGetProperty("copy", out var copy))
                    {
                        values[parameter.Name] = CopyLoop(copy.EnumerateArray().Single());
                        continue;
                    }

                    // Either {"value": ...} or an expression producing that object (createObject('value', ...)).
                    var wrapper = AsObject(Evaluate(parameter.Value));
                    // A resource id crosses a module boundary as the string ARM would pass.
                    values[parameter.Name] = wrapper["value"] is ResourceId id ? id.ToString() : wrapper["value"];
                }
            }

            return new Scope(deployment.At("properties", "template"), values, this, evaluator);
        }

        private List<object?> CopyLoop(JsonElement loop)
        {
            var count = Convert.ToInt32(Evaluate(loop.GetProperty("count")), CultureInfo.InvariantCulture);
            var items = new List<object?>();
            for (copyIndex = 0; copyIndex < count; copyIndex++)
            {
                items.Add(Evaluate(loop.GetProperty("input")));
            }

            copyIndex = -1;
            return items;
        }

        public object? Parameter(string name)
        {
            if (parameters.TryGetValue(name, out var cached))
            {
                return cached;
            }

            var declaration = Template.GetProperty("parameters").GetProperty(name);
            object? value = given.TryGetValue(name, out var supplied) ? supplied
                : declaration.TryGetProperty("defaultValue", out var defaultValue) ? Evaluate(defaultValue)
                : throw new InvalidOperationException($"parameter {name} has no value and no default");
            parameters[name] = value;
            return value;
        }

        public object? Variable(string name) => Evaluate(Template.GetProperty("variables").GetProperty(name));

        public object? Output(string module, string output)
        {
            var deployment = Resources(Template).Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == module);
            var scope = Module(deployment);
            return scope.Evaluate(scope.Template.GetProperty("outputs").GetProperty(output).GetProperty("value"));
        }

        public object? Evaluate(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => EvaluateString(element.GetString()!),
            JsonValueKind.Number => element.GetInt64(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            JsonValueKind.Array => element.EnumerateArray().Select(Evaluate).ToList(),
            // A module parameter built by a loop ([for ...] in Bicep): {"copy": [{"name": "value", "count", "input"}]}.
            JsonValueKind.Object when element.TryGetProperty("copy", out var copy) && copy.ValueKind == JsonValueKind.Array
                => new Dictionary<string, object?>(StringComparer.Ordinal) { ["value"] = CopyLoop(copy.EnumerateArray().Single()) } as IDictionary<string, object?>,
            _ => element.EnumerateObject().ToDictionary(p => p.Name, p => Evaluate(p.Value), StringComparer.Ordinal) as IDictionary<string, object?>,
        };

        private object? EvaluateString(string text) =>
            text.StartsWith('[') && text.EndsWith(']') && !text.StartsWith("[[", StringComparison.Ordinal)
                ? new Parser(text[1..^1], this).ParseAll()
                : text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text;

        public object? Call(string function, List<object?> args) => function.ToLowerInvariant() switch
        {
            "parameters" => Parameter((string)args[0]!),
            "null" => null,
            "variables" => Variable((string)args[0]!),
            "format" => string.Format(CultureInfo.InvariantCulture, (string)args[0]!, args.Skip(1).Select(Text).ToArray()),
            "concat" => string.Concat(args.Select(Text)),
            "length" => args[0] switch { string t => (long)t.Length, System.Collections.ICollection c => (long)c.Count, _ => throw new InvalidOperationException($"length() of {args[0]}") },
            "range" => Enumerable.Range((int)Convert.ToInt64(args[0], CultureInfo.InvariantCulture), (int)Convert.ToInt64(args[1], CultureInfo.InvariantCulture)).Select(i => (object?)(long)i).ToList(),
            "less" => Convert.ToInt64(args[0], CultureInfo.InvariantCulture) < Convert.ToInt64(args[1], CultureInfo.InvariantCulture),
            "coalesce" => args.FirstOrDefault(a => a is not null),
            "tryget" => args[0] switch
            {
                IList<object?> list when args[1] is long i => i >= 0 && i < list.Count ? list[(int)i] : null,
                IDictionary<string, object?> map => map.TryGetValue(Text(args[1]), out var member) ? member : null,
                _ => null,
            },
            "copyindex" => copyIndex >= 0 ? (long)copyIndex : throw new InvalidOperationException("copyIndex() outside a copy loop"),
            "if" => Truthy(args[0]) ? args[1] : args[2],
            "empty" => args[0] switch { null => true, string s => s.Length == 0, System.Collections.ICollection c => c.Count == 0, _ => false },
            "equals" => Equals(Text(args[0]), Text(args[1])),
            "not" => !Truthy(args[0]),
            "and" => args.All(Truthy),
            "or" => args.Any(Truthy),
            "string" => Text(args[0]),
            "int" => Convert.ToInt64(args[0], CultureInfo.InvariantCulture),
            "bool" => Truthy(args[0]),
            "tolower" => Text(args[0]).ToLowerInvariant(),
            "take" => Text(args[0])[..Math.Min(Text(args[0]).Length, (int)Convert.ToInt64(args[1], CultureInfo.InvariantCulture))],
            "createobject" => Enumerable.Range(0, args.Count / 2).ToDictionary(i => Text(args[2 * i]), i => args[(2 * i) + 1], StringComparer.Ordinal) as IDictionary<string, object?>,
            "uniquestring" => UniqueString(args.Select(Text)),
            // Deterministic like ARM's (the same inputs, the same name), not ARM's exact value.
            "guid" => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(Text))))[..16]).ToString(),
            "subscriptionresourceid" => $"/subscriptions/00000000-0000-0000-0000-000000000001/providers/{Text(args[0])}/{string.Join('/', args.Skip(1).Select(Text))}",
            "subscription" => new Dictionary<string, object?> { ["id"] = "/subscriptions/00000000-0000-0000-0000-000000000001", ["subscriptionId"] = "00000000-0000-0000-0000-000000000001", ["tenantId"] = "00000000-0000-0000-0000-000000000002" },
            "tenant" => new Dictionary<string, object?> { ["tenantId"] = "00000000-0000-0000-0000-000000000002" },
            "resourcegroup" => new Dictionary<string, object?> { ["id"] = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-otp-test", ["name"] = "rg-otp-test", ["location"] = Location },
            "resourceid" => new ResourceId(Text(args[0]), args.Skip(1).Select(Text).ToArray()),
            "reference" => Reference(args[0]),
            "environment" => new Dictionary<string, object?> { ["suffixes"] = new Dictionary<string, object?> { ["storage"] = "core.windows.net" } },
            _ => throw new InvalidOperationException($"ArmEvaluator does not know {function}(): teach it, or the settings cannot be checked"),
        };

        // What a deployed resource reports, in the documented shape; a module's outputs are evaluated for real.
        private Dictionary<string, object?> Reference(object? target)
        {
            var id = target as ResourceId ?? throw new InvalidOperationException($"reference() to {target}: only resourceId(...) targets are resolved");
            var name = id.Names[^1];
            return id.Type switch
            {
                "Microsoft.Resources/deployments" => new Dictionary<string, object?> { ["outputs"] = new ModuleOutputs(this, name) },
                "Microsoft.Storage/storageAccounts" => new Dictionary<string, object?>
                {
                    ["primaryEndpoints"] = new Dictionary<string, object?>
                    {
                        ["blob"] = $"https://{name}.blob.core.windows.net/",
                        ["queue"] = $"https://{name}.queue.core.windows.net/",
                        ["table"] = $"https://{name}.table.core.windows.net/",
                    },
                },
                "Microsoft.ManagedIdentity/userAssignedIdentities" => new Dictionary<string, object?> { ["clientId"] = IdentityClientId, ["principalId"] = "7f0e6bd5-3c43-4b7a-9b1e-0c55a1d3e002" },
                "Microsoft.Insights/components" => new Dictionary<string, object?>
                {
                    ["ConnectionString"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000003;IngestionEndpoint=https://{Location}-5.in.applicationinsights.azure.com/;LiveEndpoint=https://{Location}.livediagnostics.monitor.azure.com/",
                },
                "Microsoft.KeyVault/vaults/secrets" => new Dictionary<string, object?> { ["secretUri"] = $"https://{id.Names[0]}.vault.azure.net/secrets/{name}" },
                "Microsoft.Communication/communicationServices" => new Dictionary<string, object?> { ["hostName"] = $"{name}.unitedstates.communication.azure.com" },
                "Microsoft.Communication/emailServices/domains" => new Dictionary<string, object?> { ["mailFromSenderDomain"] = "0c9a2f1e-5b7d-4e3a-9f8c-1d2e3f4a5b6c.azurecomm.net" },
                "Microsoft.Web/sites" => new Dictionary<string, object?> { ["defaultHostName"] = $"{name}.azurewebsites.net" },
                _ => throw new InvalidOperationException($"ArmEvaluator cannot resolve reference() to {id.Type}"),
            };
        }

        private static bool Truthy(object? value) => value is bool b ? b : throw new InvalidOperationException($"expected a bool, got {value}");

        private static string Text(object? value) => value switch
        {
            null => "",
            string s => s,
            bool b => b ? "True" : "False",
            ResourceId id => id.ToString(),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };

        private static string UniqueString(IEnumerable<string> parts) =>
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", parts))))[..13].ToLowerInvariant();
    }

    private sealed record ResourceId(string Type, string[] Names)
    {
        // providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>: each type segment, then its name.
        public override string ToString()
        {
            var segments = Type.Split('/');
            var path = string.Join('/', segments.Skip(1).Zip(Names, (type, name) => $"{type}/{name}"));
            return $"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-otp-test/providers/{segments[0]}/{path}";
        }
    }

    /// <summary><c>reference(module).outputs.X.value</c>: the module's output, evaluated on demand.</summary>
    private sealed class ModuleOutputs(Scope scope, string module) : Dictionary<string, object?>
    {
        public Dictionary<string, object?> Get(string output) => new Dictionary<string, object?> { ["value"] = scope.Output(module, output) };
    }

    /// <summary>ARM template expression language: calls, 'strings', numbers, .member and [index] access.</summary>
    private sealed class Parser(string text, Scope scope)
    {
        private int position;

        // While parsing the branch of if() that is not taken: ARM does not evaluate it (it may reference
        // a module that is not deployed), so calls and member reads only advance the position.
        private bool skipping;

        public object? ParseAll()
        {
            var value = ParseExpression();
            SkipSpace();
            return position == text.Length ? value : throw new InvalidOperationException($"unexpected '{text[position..]}' in [{text}]");
        }

        private object? ParseExpression()
        {
            SkipSpace();
            var value = text[position] switch
            {
                '\'' => ParseString(),
                var c when char.IsDigit(c) || c == '-' => ParseNumber(),
                _ => ParseCall(),
            };
            while (position < text.Length && (text[position] == '.' || text[position] == '['))
            {
                if (text[position] == '.')
                {
                    position++;
                    value = Member(value, ParseIdentifier());
                }
                else
                {
                    position++;
                    var index = ParseExpression();
                    Expect(']');
                    value = skipping ? null : index is long i ? ((IList<object?>)value!)[(int)i] : Member(value, (string)index!);
                }
            }

            return value;
        }

        private object? Member(object? value, string name) => skipping ? null : value switch
        {
            ModuleOutputs outputs => outputs.Get(name),
            IDictionary<string, object?> map => map.TryGetValue(name, out var member) ? member : throw new InvalidOperationException($"no member {name} in {string.Join(",", map.Keys)}"),
            _ => throw new InvalidOperationException($"cannot read .{name} of {value}"),
        };

        private object? ParseCall()
        {
            var name = ParseIdentifier();
            Expect('(');
            if (name.Equals("if", StringComparison.OrdinalIgnoreCase) && !skipping)
            {
                return ParseIf();
            }

            var args = new List<object?>();
            SkipSpace();
            if (text[position] != ')')
            {
                do
                {
                    args.Add(ParseExpression());
                    SkipSpace();
                }
                while (text[position] == ',' && position++ >= 0);
            }

            Expect(')');
            return skipping ? null : scope.Call(name, args);
        }

        private object? ParseIf()
        {
            var condition = ParseExpression() as bool? ?? throw new InvalidOperationException($"if() needs a bool condition in [{text}]");
            Expect(',');
            var whenTrue = ParseBranch(condition);
            Expect(',');
            var whenFalse = ParseBranch(!condition);
            Expect(')');
            return condition ? whenTrue : whenFalse;
        }

        private object? ParseBranch(bool taken)
        {
            skipping = !taken;
            var value = ParseExpression();
            skipping = false;
            return value;
        }

        private string ParseString()
        {
            var builder = new StringBuilder();
            position++;
            while (true)
            {
                if (text[position] == '\'')
                {
                    if (position + 1 < text.Length && text[position + 1] == '\'')
                    {
                        builder.Append('\'');
                        position += 2;
                        continue;
                    }

                    position++;
                    return builder.ToString();
                }

                builder.Append(text[position++]);
            }
        }

        private long ParseNumber()
        {
            var start = position++;
            while (position < text.Length && char.IsDigit(text[position]))
            {
                position++;
            }

            return long.Parse(text[start..position], CultureInfo.InvariantCulture);
        }

        private string ParseIdentifier()
        {
            SkipSpace();
            var start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
            {
                position++;
            }

            return position > start ? text[start..position] : throw new InvalidOperationException($"expected a name at {position} in [{text}]");
        }

        private void Expect(char expected)
        {
            SkipSpace();
            if (position >= text.Length || text[position] != expected)
            {
                throw new InvalidOperationException($"expected '{expected}' at {position} in [{text}]");
            }

            position++;
        }

        private void SkipSpace()
        {
            while (position < text.Length && text[position] == ' ')
            {
                position++;
            }
        }
    }
}
