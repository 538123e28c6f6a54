using System.Globalization;

namespace TIBS.Cases.Workflows.Forms;

/// <summary>A validated, normalized value of a form field. <see cref="ToText"/> gives its canonical text.</summary>
public abstract record FieldValue
{
    /// <summary>Canonical text: numbers invariant, dates YYYY-MM-DD, yes/no, lists comma-separated.</summary>
    public abstract string ToText();

    /// <summary>
    /// What <c>field-equals</c> means for this value: equal canonical text; for multi-choice, taxonomy,
    /// company and file values, "contains"; numbers compare numerically.
    /// </summary>
    public virtual bool IsEqualTo(string expected) => string.Equals(ToText(), expected, StringComparison.Ordinal);
}

public sealed record TextValue(string Text) : FieldValue
{
    public override string ToText() => Text;
}

public sealed record NumberValue(decimal Number) : FieldValue
{
    public override string ToText() => Number.ToString(CultureInfo.InvariantCulture);

    public override bool IsEqualTo(string expected) =>
        decimal.TryParse(expected, NumberStyles.Number, CultureInfo.InvariantCulture, out var other) && other == Number;
}

public sealed record DateValue(DateOnly Date) : FieldValue
{
    public override string ToText() => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A yes/no answer; its text is <c>yes</c> or <c>no</c>.</summary>
public sealed record BooleanValue(bool Value) : FieldValue
{
    public override string ToText() => Value ? "yes" : "no";
}

/// <summary>The option value (not the label) of a choice field.</summary>
public sealed record ChoiceValue(string Value) : FieldValue
{
    public override string ToText() => Value;
}

public sealed record MultiChoiceValue(IReadOnlyList<string> Values) : FieldValue
{
    public override string ToText() => string.Join(",", Values);

    public override bool IsEqualTo(string expected) => Values.Contains(expected, StringComparer.Ordinal);
}

/// <summary>Codes of a taxonomy (e.g. NUTS region codes, NACE codes, ISO country codes, S3 areas).</summary>
public sealed record TaxonomyValue(string Taxonomy, IReadOnlyList<string> Codes) : FieldValue
{
    public override string ToText() => string.Join(",", Codes);

    public override bool IsEqualTo(string expected) => Codes.Contains(expected, StringComparer.Ordinal);
}

/// <summary>References to companies by id (existence is checked by Core).</summary>
public sealed record CompanyValue(IReadOnlyList<string> CompanyIds) : FieldValue
{
    public override string ToText() => string.Join(",", CompanyIds);

    public override bool IsEqualTo(string expected) => CompanyIds.Contains(expected, StringComparer.Ordinal);
}

/// <summary>A stored file, by id; the name is for display.</summary>
public sealed record FileReference(string Id, string? Name = null);

public sealed record FileValue(IReadOnlyList<FileReference> Files) : FieldValue
{
    public override string ToText() => string.Join(",", Files.Select(f => f.Id));

    public override bool IsEqualTo(string expected) => Files.Any(f => f.Id == expected);
}

/// <summary>Rows of a table field; each row maps column keys to values (empty cells are absent).</summary>
public sealed record TableValue(IReadOnlyList<IReadOnlyDictionary<string, FieldValue>> Rows) : FieldValue
{
    public override string ToText() =>
        string.Join("; ", Rows.Select(r => string.Join(", ", r.Select(c => $"{c.Key}={c.Value.ToText()}"))));
}
