using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BitEarth.Infra.Tests;

/// <summary>
/// Evaluates the part of the ARM template expression language the compiled BitEarth templates use for names,
/// filters and role ids: literals, parameters(), variables(), format(), concat(), createArray(), createObject(),
/// union(), empty(), string(), equals(), if(), length(), copyIndex(), subscriptionResourceId() (with a placeholder subscription), property
/// access and indexing. Anything only Azure can know (reference(), resourceId(), listKeys(), ...) evaluates to
/// null, which tests treat as "unknown", never as a match.
/// </summary>
public sealed class ArmExpression
{
    private readonly string _text;
    private readonly ArmTemplate _template;
    private readonly int? _copyIndex;
    private int _pos;

    private ArmExpression(string text, ArmTemplate template, int? copyIndex)
    {
        _text = text;
        _template = template;
        _copyIndex = copyIndex;
    }

    /// <summary>True when a JSON string is an expression ("[...]") rather than a literal ("[[" escapes one).</summary>
    public static bool IsExpression(string value) =>
        value.Length >= 2 && value[0] == '[' && value[^1] == ']' && !value.StartsWith("[[", StringComparison.Ordinal);

    public static JsonNode? Evaluate(string expression, ArmTemplate template, int? copyIndex = null)
    {
        var parser = new ArmExpression(expression, template, copyIndex);
        var value = parser.ParseExpression();
        parser.SkipSpace();
        return parser._pos == parser._text.Length ? value : null;
    }

    private JsonNode? ParseExpression()
    {
        var value = ParsePrimary();
        while (true)
        {
            SkipSpace();
            if (Peek('.'))
            {
                _pos++;
                var name = ReadIdentifier();
                value = value is JsonObject obj ? obj[name]?.DeepClone() : null;
            }
            else if (Peek('['))
            {
                _pos++;
                var index = ParseExpression();
                Expect(']');
                value = (value, index) switch
                {
                    (JsonArray array, JsonValue i) when i.TryGetValue(out int n) && n >= 0 && n < array.Count =>
                        array[n]?.DeepClone(),
                    (JsonObject obj, JsonValue key) when key.TryGetValue(out string? k) => obj[k]?.DeepClone(),
                    _ => null,
                };
            }
            else
            {
                return value;
            }
        }
    }

    private JsonNode? ParsePrimary()
    {
        SkipSpace();
        if (Peek('\''))
        {
            return JsonValue.Create(ReadString());
        }
        if (char.IsDigit(_text[_pos]) || Peek('-'))
        {
            var start = _pos++;
            while (_pos < _text.Length && char.IsDigit(_text[_pos])) _pos++;
            return JsonValue.Create(int.Parse(_text[start.._pos], CultureInfo.InvariantCulture));
        }
        var name = ReadIdentifier();
        SkipSpace();
        if (!Peek('('))
        {
            return name switch { "true" => JsonValue.Create(true), "false" => JsonValue.Create(false), _ => null };
        }
        _pos++;
        var args = new List<JsonNode?>();
        SkipSpace();
        while (!Peek(')'))
        {
            args.Add(ParseExpression());
            SkipSpace();
            if (Peek(',')) _pos++;
            SkipSpace();
        }
        _pos++;
        return Call(name, args);
    }

    private JsonNode? Call(string name, List<JsonNode?> args) => name switch
    {
        "parameters" when AsString(args[0]) is { } p => _template.Parameter(p),
        "variables" when AsString(args[0]) is { } v => _template.Variable(v),
        "format" => Format(args),
        "concat" when args.All(a => a is JsonValue) => JsonValue.Create(string.Concat(args.Select(AsString))),
        "createArray" => new JsonArray(args.Select(a => a?.DeepClone()).ToArray()),
        "createObject" => CreateObject(args),
        "union" when args.All(a => a is JsonObject) => Union(args.Cast<JsonObject>()),
        "empty" when args[0] is not null => JsonValue.Create(args[0] switch
        {
            JsonArray array => array.Count == 0,
            JsonObject obj => obj.Count == 0,
            var value => AsString(value)!.Length == 0,
        }),
        "string" when args[0] is JsonValue value => JsonValue.Create(AsString(value)),
        "equals" when args[0] is not null && args[1] is not null =>
            JsonValue.Create(JsonNode.DeepEquals(args[0], args[1])),
        "if" when args[0] is JsonValue c && c.TryGetValue(out bool condition) => (condition ? args[1] : args[2])?.DeepClone(),
        "length" when args[0] is JsonArray array => JsonValue.Create(array.Count),
        "subscriptionResourceId" when args.All(a => a is JsonValue) =>
            JsonValue.Create($"/subscriptions/{{subscription}}/providers/{AsString(args[0])}/{string.Join('/', args.Skip(1).Select(AsString))}"),
        "copyIndex" when _copyIndex is { } i => JsonValue.Create(i),
        _ => null,
    };

    private static JsonObject? CreateObject(List<JsonNode?> args)
    {
        var obj = new JsonObject();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (AsString(args[i]) is not { } key) return null;
            obj[key] = args[i + 1]?.DeepClone();
        }
        return obj;
    }

    private static JsonObject Union(IEnumerable<JsonObject> objects)
    {
        var merged = new JsonObject();
        foreach (var (key, value) in objects.SelectMany(o => o))
        {
            merged[key] = value?.DeepClone();
        }
        return merged;
    }

    private static JsonValue? Format(List<JsonNode?> args)
    {
        if (AsString(args[0]) is not { } pattern || args.Skip(1).Any(a => a is not JsonValue))
        {
            return null;
        }
        var values = args.Skip(1).Select(a => (object?)a!.ToString()).ToArray();
        return JsonValue.Create(string.Format(CultureInfo.InvariantCulture, pattern, values));
    }

    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? s) ? s : node?.ToString();

    private string ReadString()
    {
        var text = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_text[_pos] == '\'')
            {
                if (_pos + 1 < _text.Length && _text[_pos + 1] == '\'')
                {
                    text.Append('\'');
                    _pos += 2;
                    continue;
                }
                _pos++;
                return text.ToString();
            }
            text.Append(_text[_pos++]);
        }
    }

    private string ReadIdentifier()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        if (start == _pos) throw new FormatException($"identifier expected at {_pos} in {_text}");
        return _text[start.._pos];
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (!Peek(c)) throw new FormatException($"'{c}' expected at {_pos} in {_text}");
        _pos++;
    }

    private bool Peek(char c) => _pos < _text.Length && _text[_pos] == c;

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }
}
