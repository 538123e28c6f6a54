using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Form values as JSON: <c>{"field": {"type": "date", "value": "2026-03-01"}, …}</c>. The type tag keeps values exact
/// when read back (a number stays a decimal, a date a date), and the JSON is what the audit trail shows.
/// </summary>
internal static class FormDataJson
{
    /// <summary>The values as JSON text, keys in ordinal order: the same text as <c>ToNode(values).ToJsonString()</c>, written without building the tree.</summary>
    public static string Serialize(IReadOnlyDictionary<string, FieldValue> values)
    {
        using var lease = JsonScratch.Rent();
        Write(lease.Writer, values);
        return lease.Text();
    }

    private static void Write(Utf8JsonWriter w, IReadOnlyDictionary<string, FieldValue> values)
    {
        w.WriteStartObject();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(key);
            Write(w, value);
        }

        w.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter w, FieldValue value)
    {
        w.WriteStartObject();
        switch (value)
        {
            case TextValue t:
                w.WriteString("type", "text");
                w.WriteString("value", t.Text);
                break;
            case NumberValue n:
                w.WriteString("type", "number");
                w.WriteNumber("value", n.Number);
                break;
            case DateValue d:
                w.WriteString("type", "date");
                w.WriteString("value", d.ToText());
                break;
            case BooleanValue b:
                w.WriteString("type", "boolean");
                w.WriteBoolean("value", b.Value);
                break;
            case ChoiceValue c:
                w.WriteString("type", "choice");
                w.WriteString("value", c.Value);
                break;
            case MultiChoiceValue m:
                w.WriteString("type", "multi-choice");
                WriteStrings(w, "value", m.Values);
                break;
            case TaxonomyValue x:
                w.WriteString("type", "taxonomy");
                w.WriteString("taxonomy", x.Taxonomy);
                WriteStrings(w, "value", x.Codes);
                break;
            case CompanyValue c:
                w.WriteString("type", "company");
                WriteStrings(w, "value", c.CompanyIds);
                break;
            case FileValue f:
                w.WriteString("type", "file");
                w.WriteStartArray("value");
                foreach (var r in f.Files)
                {
                    w.WriteStartObject();
                    w.WriteString("id", r.Id);
                    w.WriteString("name", r.Name);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
            case TableValue t:
                w.WriteString("type", "table");
                w.WriteStartArray("value");
                foreach (var row in t.Rows)
                {
                    Write(w, row);
                }

                w.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Unknown field value {value.GetType().Name}.");
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

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
internal static class CaseData
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

    public static string With(string json, string stepKey, IReadOnlyDictionary<string, FieldValue> values) =>
        WithForm(json, stepKey, FormDataJson.Serialize(values));

    /// <summary>
    /// The data with the step's values replaced by <paramref name="formJson"/> (as <see cref="FormDataJson.Serialize"/>
    /// writes them): a step seen before keeps its place, a new one comes last. Copied as it is read, not rebuilt as a
    /// tree: a step completion adds its values to data that grows with every step.
    /// </summary>
    public static string WithForm(string json, string stepKey, string formJson)
    {
        using var lease = JsonScratch.Rent();
        var w = lease.Writer;
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
            w.WriteStartObject();
            var hadSteps = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("steps") && property.Value.ValueKind == JsonValueKind.Object)
                {
                    hadSteps = true;
                    w.WriteStartObject("steps");
                    var replaced = false;
                    foreach (var step in property.Value.EnumerateObject())
                    {
                        if (step.NameEquals(stepKey))
                        {
                            w.WritePropertyName(stepKey);
                            w.WriteRawValue(formJson, skipInputValidation: true);
                            replaced = true;
                        }
                        else
                        {
                            step.WriteTo(w);
                        }
                    }

                    if (!replaced)
                    {
                        w.WritePropertyName(stepKey);
                        w.WriteRawValue(formJson, skipInputValidation: true);
                    }

                    w.WriteEndObject();
                }
                else if (!property.NameEquals("steps"))
                {
                    property.WriteTo(w);
                }
            }

            if (!hadSteps)
            {
                w.WriteStartObject("steps");
                w.WritePropertyName(stepKey);
                w.WriteRawValue(formJson, skipInputValidation: true);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return lease.Text();
    }
}
