using System.Text.Json.Nodes;

namespace BitEarth.Infra.Tests;

/// <summary>
/// A compiled ARM template (or a nested deployment's inner template) with the parameter values its parent
/// passes, so names and filters can be evaluated the way ARM would with the default parameters.
/// </summary>
public sealed class ArmTemplate
{
    private readonly JsonObject _json;
    private readonly JsonObject? _passedParameters;
    private readonly ArmTemplate? _parent;

    public ArmTemplate(JsonObject json, string name = "main", JsonObject? passedParameters = null, ArmTemplate? parent = null)
    {
        _json = json;
        Name = name;
        _passedParameters = passedParameters;
        _parent = parent;
    }

    public string Name { get; }

    public JsonObject Json => _json;

    /// <summary>Resources declared directly in this template (languageVersion 2.0 keys them by symbol).</summary>
    public IEnumerable<JsonObject> Resources => _json["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject byName => byName.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    /// <summary>This template and every nested deployment's template, depth first.</summary>
    public IEnumerable<ArmTemplate> SelfAndNested()
    {
        yield return this;
        foreach (var deployment in Resources.Where(r => Type(r) == "Microsoft.Resources/deployments"))
        {
            var properties = deployment["properties"]!.AsObject();
            var inner = new ArmTemplate(
                properties["template"]!.AsObject(),
                deployment["name"]!.GetValue<string>(),
                properties["parameters"]?.AsObject(),
                this);
            foreach (var nested in inner.SelfAndNested())
            {
                yield return nested;
            }
        }
    }

    /// <summary>All resources of one type in this template and its nested deployments.</summary>
    public IEnumerable<(ArmTemplate Template, JsonObject Resource)> ResourcesOfType(string type) =>
        SelfAndNested().SelectMany(t => t.Resources.Where(r => Type(r) == type).Select(r => (t, r)));

    public ArmTemplate Nested(string deploymentName) =>
        SelfAndNested().Single(t => t.Name == deploymentName);

    public JsonNode? Parameter(string name)
    {
        if (_passedParameters?[name]?["value"] is { } passed)
        {
            return _parent!.Evaluate(passed);
        }
        return _json["parameters"]?[name]?["defaultValue"] is { } fallback ? Evaluate(fallback) : null;
    }

    public JsonNode? Variable(string name) =>
        _json["variables"]?[name] is { } value ? Evaluate(value) : null;

    /// <summary>Evaluates expression strings anywhere inside a JSON value; unknown parts become null.</summary>
    public JsonNode? Evaluate(JsonNode? node, int? copyIndex = null) => node switch
    {
        JsonValue value when value.TryGetValue(out string? s) && ArmExpression.IsExpression(s) =>
            ArmExpression.Evaluate(s[1..^1], this, copyIndex),
        JsonValue value when value.TryGetValue(out string? s) && s.StartsWith("[[", StringComparison.Ordinal) =>
            JsonValue.Create(s[1..]),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Evaluate(p.Value, copyIndex)))),
        JsonArray array => new JsonArray(array.Select(a => Evaluate(a, copyIndex)).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>Evaluates to a string, or null when the value depends on something only Azure knows.</summary>
    public string? EvaluateString(JsonNode? node, int? copyIndex = null) =>
        Evaluate(node, copyIndex) is JsonValue value && value.TryGetValue(out string? s) ? s : null;

    /// <summary>How many instances a resource deploys: its copy count, or 1.</summary>
    public int InstanceCount(JsonObject resource) =>
        resource["copy"]?["count"] is { } count && Evaluate(count) is JsonValue v && v.TryGetValue(out int n) ? n : 1;

    public static string Type(JsonObject resource) => resource["type"]!.GetValue<string>();
}
