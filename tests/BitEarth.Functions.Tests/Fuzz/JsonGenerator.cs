using System.Text;

namespace BitEarth.Functions.Tests.Fuzz;

/// <summary>
/// Random JSON documents shaped like query and re-index bodies: the known fields and strangers, with values of every
/// JSON type, edge numbers, odd strings and deep nesting.
/// </summary>
public static class JsonGenerator
{
    private static readonly string[] Keys = ["patchId", "k", "target", "path", "encoder", "bits", "seed", "batchSize", "pageSize", "K", "PATCHID", "x", ""];

    private static readonly string[] Numbers = ["0", "-1", "1", "20", "1000", "1001", "2147483647", "2147483648", "-2147483649", "1e308", "1e309", "-0", "0.5", "1E2", "00", "9999999999999999999999"];

    private static readonly string[] Strings = ["\"any\"", "\"S1\"", "\"S2\"", "\"1\"", "\"S1,S2\"", "\"in-process\"", "\"durable-fan-out\"", "\"../../codes/x\"",
        "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"a/b\"", "\"%2e%2e\"", "\"\u00e9\u00e8\"", "\"" + new string('x', 5000) + "\""];

    public static string Value(Mutator mutator, IReadOnlyList<string> ids)
    {
        var json = new StringBuilder();
        Object(mutator, ids, json, depth: 0);
        return json.ToString();
    }

    private static void Object(Mutator mutator, IReadOnlyList<string> ids, StringBuilder json, int depth)
    {
        json.Append('{');
        int fields = mutator.Next(6);
        for (int f = 0; f < fields; f++)
        {
            if (f > 0) json.Append(',');
            json.Append('"').Append(mutator.Pick(Keys)).Append("\":");
            Any(mutator, ids, json, depth + 1);
        }
        json.Append('}');
    }

    private static void Any(Mutator mutator, IReadOnlyList<string> ids, StringBuilder json, int depth)
    {
        switch (mutator.Next(depth > 3 ? 6 : 9))
        {
            case 0: json.Append(mutator.Pick(Numbers)); break;
            case 1: json.Append(mutator.Pick(Strings)); break;
            case 2: json.Append('"').Append(mutator.Pick(ids)).Append('"'); break;
            case 3: json.Append(mutator.Pick(["true", "false", "null"])); break;
            case 4: json.Append(mutator.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case 5: json.Append(new string('[', 70)).Append(new string(']', 70)); break; // deeper than the reader allows
            case 6: Object(mutator, ids, json, depth); break;
            default:
                json.Append('[');
                for (int i = mutator.Next(4); i > 0; i--) { Any(mutator, ids, json, depth + 1); if (i > 1) json.Append(','); }
                json.Append(']');
                break;
        }
    }
}
