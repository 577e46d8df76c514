using System.Text.Json;
using System.Text.Json.Nodes;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Validates JSON against a schema of openapi.json with a real JSON Schema validator (NJsonSchema), as a client
/// generated from the document or a validating proxy would read it: types, enums, required fields, nullability, formats.
/// </summary>
public static class OpenApiSchema
{
    /// <summary>What is wrong with <paramref name="json"/> against <paramref name="schema"/> (a schema or a $ref of <paramref name="document"/>); empty when valid.</summary>
    public static IReadOnlyList<string> Errors(JsonElement document, JsonElement schema, string json)
    {
        var validator = NJsonSchema.JsonSchema.FromJsonAsync(Standalone(document, schema).ToJsonString()).GetAwaiter().GetResult();
        return [.. validator.Validate(json).Select(error => $"{error.Path}: {error.Kind}")];
    }

    /// <summary>
    /// The schema as a standalone JSON Schema (draft 4, which OpenAPI 3.0's schema objects extend): references inlined,
    /// <c>nullable</c> as a null type, examples and descriptions dropped.
    /// </summary>
    private static JsonObject Standalone(JsonElement document, JsonElement schema)
    {
        var resolved = Resolve(document, schema);
        var standalone = new JsonObject();
        foreach (var keyword in resolved.EnumerateObject().Where(keyword => keyword.Name is not ("nullable" or "example" or "description")))
        {
            standalone[keyword.Name] = keyword switch
            {
                { Name: "properties" } => new JsonObject(keyword.Value.EnumerateObject().Select(property => KeyValuePair.Create(property.Name, (JsonNode?)Standalone(document, property.Value)))),
                { Name: "items" or "not" } or { Name: "additionalProperties", Value.ValueKind: JsonValueKind.Object } => Standalone(document, keyword.Value),
                { Name: "oneOf" or "anyOf" or "allOf" } => new JsonArray([.. keyword.Value.EnumerateArray().Select(item => (JsonNode?)Standalone(document, item))]),
                _ => JsonNode.Parse(keyword.Value.GetRawText()),
            };
        }

        if (resolved.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean())
        {
            standalone["type"] = new JsonArray(standalone["type"]!.GetValue<string>(), "null");
            (standalone["enum"] as JsonArray)?.Add(null);
        }

        return standalone;
    }

    private static JsonElement Resolve(JsonElement document, JsonElement element)
    {
        while (element.TryGetProperty("$ref", out var reference))
        {
            element = reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate(document, (node, segment) => node.GetProperty(segment));
        }

        return element;
    }
}
