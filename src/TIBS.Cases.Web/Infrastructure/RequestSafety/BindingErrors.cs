using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TIBS.Cases.Web.Infrastructure.RequestSafety;

/// <summary>
/// Words for a request that the API's parameter binding refused: which parameter or which field of the JSON body,
/// and what is wrong with it, instead of "the request could not be accepted". The endpoints throw
/// <see cref="BadHttpRequestException"/> for these (<c>RouteHandlerOptions.ThrowOnBadRequest</c>); its message names the
/// parameter and the value, and a body that is not the expected JSON carries the <see cref="JsonException"/> with
/// the path and position.
/// </summary>
internal static partial class BindingErrors
{
    private const int MaxShownValue = 40;

    /// <summary>The field the problem concerns (a parameter, a body field, or "body") and the message; null when the exception is not about binding.</summary>
    public static (string Field, string Message)? Describe(BadHttpRequestException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.InnerException is JsonException json)
        {
            return FromJson(json);
        }

        if (FailedToBind().Match(error.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            var value = bind.Groups["value"].Value;
            var shown = value.Length > MaxShownValue ? value[..MaxShownValue] + "…" : value;
            return (name, $"'{name}' must be {Expected(bind.Groups["type"].Value)}; \"{shown}\" is not.");
        }

        if (Required().Match(error.Message) is { Success: true } required)
        {
            var name = required.Groups["name"].Value;
            return (name, $"'{name}' is required.");
        }

        if (error.Message.Contains("as form", StringComparison.Ordinal) || error.Message.Contains("form media type", StringComparison.Ordinal))
        {
            // "Unexpected request without body, failed to bind parameter "IFormFile file" from the request body as form."
            var name = FormParameter().Match(error.Message) is { Success: true } form ? form.Groups["name"].Value : "body";
            return (name, $"Send the request as multipart/form-data{(name == "body" ? "" : $" with the part '{name}'")}.");
        }

        if (error.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase))
        {
            return ("body", "The request needs a JSON body.");
        }

        return null;
    }

    private static (string Field, string Message) FromJson(JsonException json)
    {
        var field = FieldOf(json.Path);
        var where = json.LineNumber is { } line && json.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, position {position + 1})")
            : "";

        // The reader's own error (a syntax error) comes wrapped; a value of the wrong type does not.
        var syntax = json.InnerException?.GetType().Name == "JsonReaderException";
        if ($"{json.Message} {json.InnerException?.Message}".Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            return ("body", "The JSON body is nested too deeply.");
        }

        if (!syntax && ConvertTo().Match(json.Message) is { Success: true } convert)
        {
            var type = TypeOfField(convert.Groups["type"].Value, field);
            return field == "body"
                ? ("body", $"The body must be {Expected(type)}.")
                : (field, $"'{field}' must be {Expected(type)}.");
        }

        return syntax || field == "body"
            ? ("body", $"The body is not valid JSON{where}.")
            : (field, $"'{field}' is not valid JSON{where}.");
    }

    /// <summary>
    /// The type the field should have. The serializer names the record that holds the field when the record is built
    /// through its constructor, so the field's own type is looked up on it; otherwise the named type is the field's.
    /// </summary>
    private static string TypeOfField(string named, string field)
    {
        var holder = typeof(BindingErrors).Assembly.GetType(named);
        var last = field.Split('.')[^1];
        var property = holder?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, last, StringComparison.OrdinalIgnoreCase));
        if (property is null)
        {
            return named;
        }

        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && type != typeof(string)) ? "List" : type.Name;
    }

    /// <summary>"$.input.values['budget']" → "input.values.budget"; "$" or nothing → "body".</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        field = Bracketed().Replace(field, m => "." + m.Groups["key"].Value).TrimStart('.');
        return field.Length == 0 ? "body" : field;
    }

    /// <summary>What a value of a .NET type looks like to a client.</summary>
    private static string Expected(string type)
    {
        var t = NullableOf().Match(type) is { Success: true } n ? n.Groups["inner"].Value : type.TrimEnd('?');
        var dot = t.LastIndexOf('.');
        var name = (dot >= 0 ? t[(dot + 1)..] : t).Replace("[]", "", StringComparison.Ordinal);
        if (t.EndsWith("[]", StringComparison.Ordinal) || name.StartsWith("List", StringComparison.Ordinal) || name.StartsWith("IReadOnlyList", StringComparison.Ordinal))
        {
            return "a list";
        }

        return name switch
        {
            "Guid" => "an identifier such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "Int32" or "int" or "Int64" or "long" or "Int16" or "short" => "a whole number",
            "Decimal" or "decimal" or "Double" or "double" or "Single" or "float" => "a number",
            "Boolean" or "bool" => "true or false",
            "DateTimeOffset" or "DateTime" => "a date and time such as 2026-12-02T09:30:00Z",
            "DateOnly" => "a date such as 2026-12-02",
            "String" or "string" => "a text",
            _ => "a JSON object of the documented shape",
        };
    }

    [GeneratedRegex("""^Nullable<(?<inner>.+)>$""")]
    private static partial Regex NullableOf();

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^ "]+) (?<name>[^ "]+)" from "(?<value>.*)"\.?$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""parameter "(?<type>[^ "]+) (?<name>[^ "]+)" from the request body as form""")]
    private static partial Regex FormParameter();

    [GeneratedRegex("""^Required parameter "(?<type>[^ "]+) (?<name>[^ "]+)" was not provided""")]
    private static partial Regex Required();

    [GeneratedRegex("""could not be converted to (?<type>[\w.\[\]`,\s]+?)\. Path""")]
    private static partial Regex ConvertTo();

    [GeneratedRegex("""\[['"]?(?<key>[^\]'"]*)['"]?\]""")]
    private static partial Regex Bracketed();
}
