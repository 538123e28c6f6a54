using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Form values as JSON: <c>{"field": {"type": "date", "value": "2026-03-01"}, …}</c>. The type tag keeps values exact
/// when read back (a number stays a decimal, a date a date), and the JSON is what the audit trail shows.
/// </summary>
public static class FormDataJson
{
    public static string Serialize(IReadOnlyDictionary<string, FieldValue> values) => ToNode(values).ToJsonString();

    public static JsonObject ToNode(IReadOnlyDictionary<string, FieldValue> values)
    {
        var o = new JsonObject();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            o[key] = ToNode(value);
        }

        return o;
    }

    public static IReadOnlyDictionary<string, FieldValue> Deserialize(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<string, FieldValue>();
        }

        return FromNode(JsonNode.Parse(json)!.AsObject());
    }

    public static IReadOnlyDictionary<string, FieldValue> FromNode(JsonObject o)
    {
        var result = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var (key, node) in o)
        {
            if (node is JsonObject v)
            {
                result[key] = FromValueNode(v);
            }
        }

        return result;
    }

    private static JsonObject ToNode(FieldValue value) => value switch
    {
        TextValue t => Tagged("text", JsonValue.Create(t.Text)),
        NumberValue n => Tagged("number", JsonValue.Create(n.Number)),
        DateValue d => Tagged("date", JsonValue.Create(d.ToText())),
        BooleanValue b => Tagged("boolean", JsonValue.Create(b.Value)),
        ChoiceValue c => Tagged("choice", JsonValue.Create(c.Value)),
        MultiChoiceValue m => Tagged("multi-choice", Array(m.Values)),
        TaxonomyValue x => new JsonObject { ["type"] = "taxonomy", ["taxonomy"] = x.Taxonomy, ["value"] = Array(x.Codes) },
        CompanyValue c => Tagged("company", Array(c.CompanyIds)),
        FileValue f => Tagged("file", new JsonArray([.. f.Files.Select(r => (JsonNode)new JsonObject { ["id"] = r.Id, ["name"] = r.Name })])),
        TableValue t => Tagged("table", new JsonArray([.. t.Rows.Select(r => (JsonNode)ToNode(r))])),
        _ => throw new NotSupportedException($"Unknown field value {value.GetType().Name}."),
    };

    private static FieldValue FromValueNode(JsonObject v)
    {
        var type = v["type"]!.GetValue<string>();
        var value = v["value"];
        return type switch
        {
            "text" => new TextValue(value!.GetValue<string>()),
            "number" => new NumberValue(value!.GetValue<decimal>()),
            "date" => new DateValue(DateOnly.ParseExact(value!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture)),
            "boolean" => new BooleanValue(value!.GetValue<bool>()),
            "choice" => new ChoiceValue(value!.GetValue<string>()),
            "multi-choice" => new MultiChoiceValue(Strings(value)),
            "taxonomy" => new TaxonomyValue(v["taxonomy"]!.GetValue<string>(), Strings(value)),
            "company" => new CompanyValue(Strings(value)),
            "file" => new FileValue([.. value!.AsArray().Select(f => new FileReference(f!["id"]!.GetValue<string>(), f["name"]?.GetValue<string>()))]),
            "table" => new TableValue([.. value!.AsArray().Select(r => FromNode(r!.AsObject()))]),
            _ => throw new JsonException($"Unknown field value type '{type}'."),
        };
    }

    private static JsonObject Tagged(string type, JsonNode? value) => new() { ["type"] = type, ["value"] = value };

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(s => (JsonNode)JsonValue.Create(s))]);

    private static List<string> Strings(JsonNode? node) => [.. node!.AsArray().Select(n => n!.GetValue<string>())];
}

/// <summary>The case's <c>data</c> column: the latest form values of every step, by step key.</summary>
public static class CaseData
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> Read(string json)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return result;
        }

        var root = JsonNode.Parse(json)!.AsObject();
        if (root["steps"] is JsonObject steps)
        {
            foreach (var (step, values) in steps)
            {
                result[step] = FormDataJson.FromNode(values!.AsObject());
            }
        }

        return result;
    }

    public static string With(string json, string stepKey, IReadOnlyDictionary<string, FieldValue> values)
    {
        var root = string.IsNullOrWhiteSpace(json) ? new JsonObject() : JsonNode.Parse(json)!.AsObject();
        if (root["steps"] is not JsonObject steps)
        {
            root["steps"] = steps = new JsonObject();
        }

        steps[stepKey] = FormDataJson.ToNode(values);
        return root.ToJsonString();
    }
}
