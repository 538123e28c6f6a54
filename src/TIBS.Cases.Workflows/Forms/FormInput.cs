namespace TIBS.Cases.Workflows.Forms;

/// <summary>
/// Submitted form values: strings as posted by an HTML form (a key may repeat, table cells are posted as
/// <c>table[row].column</c>), and/or already structured values (e.g. from the JSON API or an upload);
/// a structured value wins over strings with the same key.
/// </summary>
public sealed record FormInput(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Strings,
    IReadOnlyDictionary<string, FieldValue> Structured)
{
    public static FormInput Empty { get; } = new(new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<string, FieldValue>());

    /// <summary>From posted pairs; repeated keys become several values.</summary>
    public static FormInput FromPairs(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (value is null)
            {
                continue;
            }

            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = [];
            }

            list.Add(value);
        }

        return new FormInput(values.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal), Empty.Structured);
    }

    /// <summary>From one string per key.</summary>
    public static FormInput FromStrings(IReadOnlyDictionary<string, string?> values) =>
        FromPairs(values ?? throw new ArgumentNullException(nameof(values)));

    /// <summary>A copy with a structured value for a field.</summary>
    public FormInput With(string key, FieldValue value) =>
        this with { Structured = new Dictionary<string, FieldValue>(Structured, StringComparer.Ordinal) { [key] = value } };
}

/// <summary>A problem with one field: <see cref="Field"/> is its key (<c>joint-actions[1].due-date</c> in tables).</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => Message;
}

/// <summary>Normalized values by field key (only fields that have a value) and the errors, at most one per field.</summary>
public sealed record FormValidationResult(IReadOnlyDictionary<string, FieldValue> Values, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Knows the codes of the taxonomies (s3-area, nace, region, country); implemented outside this library.</summary>
public interface ITaxonomyLookup
{
    bool IsKnown(string taxonomy, string code);
}
