namespace TIBS.Cases.Data.Indicators;

/// <summary>
/// The JSON, date and arithmetic pieces the indicator queries need, written once per provider. Form values live in
/// <c>cases.data</c> as <c>{"steps": {"step": {"field": {"type": …, "value": …}}}}</c> (see CaseData); only constant
/// keys from code go into a path, never input.
/// </summary>
internal sealed class IndicatorSql(DatabaseProvider provider)
{
    public DatabaseProvider Provider => provider;

    /// <summary>A form value of a step in <c>cases.data</c> as text (a boolean as the provider's JSON truth, see <see cref="FormTrue"/>).</summary>
    public string FormText(string data, string step, string field) => Json(data, "steps", step, field, "value");

    /// <summary>A JSON value at a path, as text.</summary>
    public string Json(string column, params string[] path) => provider switch
    {
        DatabaseProvider.Sqlite => $"json_extract({column}, '{SqlitePath(path)}')",
        DatabaseProvider.Postgres => $"({column}::jsonb #>> '{{{string.Join(',', path)}}}')",
        _ => $"JSON_VALUE({column}, '{SqlitePath(path)}')",
    };

    /// <summary>A yes/no form value that is yes.</summary>
    public string FormTrue(string data, string step, string field) => provider == DatabaseProvider.Sqlite
        ? $"{FormText(data, step, field)} = 1"
        : $"{FormText(data, step, field)} = 'true'";

    /// <summary>A number form value as a whole number, 0 when missing.</summary>
    public string FormWholeNumber(string data, string step, string field) => provider switch
    {
        DatabaseProvider.Sqlite => $"COALESCE(CAST({FormText(data, step, field)} AS INTEGER), 0)",
        DatabaseProvider.Postgres => $"COALESCE(CAST(CAST({FormText(data, step, field)} AS numeric) AS bigint), 0)",
        _ => $"COALESCE(CAST(TRY_CAST({FormText(data, step, field)} AS decimal(18, 2)) AS bigint), 0)",
    };

    /// <summary>A multi-choice or taxonomy form value has one of <paramref name="valuesSql"/> (literals or a parameter).</summary>
    public string FormHasAny(string data, string step, string field, string valuesSql) =>
        $"EXISTS (SELECT 1 FROM {FormArray(data, step, field, "j")} WHERE j.value IN ({valuesSql}))";

    /// <summary>A table source of the elements of a multi-choice or taxonomy form value, aliased with a <c>value</c> column.</summary>
    public string FormArray(string data, string step, string field, string alias) => provider switch
    {
        DatabaseProvider.Sqlite => $"json_each({data}, '{SqlitePath("steps", step, field, "value")}') {alias}",
        DatabaseProvider.Postgres => $"jsonb_array_elements_text({data}::jsonb #> '{{steps,{step},{field},value}}') AS {alias}(value)",
        _ => $"OPENJSON({data}, '{SqlitePath("steps", step, field, "value")}') WITH (value nvarchar(100) '$') {alias}",
    };

    /// <summary>Joins the elements of a form array to each row (a lateral join).</summary>
    public string JoinFormArray(string data, string step, string field, string alias) => provider switch
    {
        DatabaseProvider.Sqlite => $"JOIN {FormArray(data, step, field, alias)}",
        DatabaseProvider.Postgres => $"CROSS JOIN LATERAL {FormArray(data, step, field, alias)}",
        _ => $"CROSS APPLY {FormArray(data, step, field, alias)}",
    };

    /// <summary>Days (with fractions) from one timestamp to another, as a floating-point number.</summary>
    public string Days(string from, string to) => provider switch
    {
        DatabaseProvider.Sqlite => $"(julianday({to}) - julianday({from}))",
        DatabaseProvider.Postgres => $"CAST(EXTRACT(EPOCH FROM ({to} - {from})) / 86400.0 AS double precision)",
        _ => $"CAST(DATEDIFF_BIG(second, {from}, {to}) / 86400.0 AS float)",
    };

    /// <summary>The UTC year of a timestamp, as four-digit text.</summary>
    public string Year(string timestamp) => provider switch
    {
        DatabaseProvider.Sqlite => $"substr({timestamp}, 1, 4)",
        DatabaseProvider.Postgres => $"to_char({timestamp} AT TIME ZONE 'UTC', 'YYYY')",
        _ => $"CAST(YEAR(SWITCHOFFSET({timestamp}, '+00:00')) AS nvarchar(4))",
    };

    /// <summary>A text expression usable in GROUP BY on every provider.</summary>
    public string GroupText(string expression) => provider == DatabaseProvider.SqlServer ? $"CAST({expression} AS nvarchar(200))" : expression;

    /// <summary>A floating-point number.</summary>
    public string Float(string expression) => provider switch
    {
        DatabaseProvider.Sqlite => $"CAST({expression} AS REAL)",
        DatabaseProvider.Postgres => $"CAST({expression} AS double precision)",
        _ => $"CAST({expression} AS float)",
    };

    /// <summary>A whole number.</summary>
    public string Whole(string expression) => provider switch
    {
        DatabaseProvider.Sqlite => $"CAST({expression} AS INTEGER)",
        DatabaseProvider.Postgres => $"CAST(CAST({expression} AS numeric) AS integer)",
        _ => $"CAST({expression} AS int)",
    };

    /// <summary>
    /// The <paramref name="percent"/>th percentile of <c>days</c> per group in the window of a CTE that has
    /// <c>i</c> (0-based rank by days within the group) and <c>n</c> (rows in the group), interpolated linearly between
    /// the two nearest ranks like PERCENTILE_CONT. Integer arithmetic finds the ranks, so it is the same SQL everywhere.
    /// </summary>
    public static string Percentile(int percent)
    {
        var lower = $"((n - 1) * {percent} / 100)";
        var fraction = $"(((n - 1) * {percent} % 100) / 100.0)";
        return $"SUM(CASE WHEN i = {lower} THEN days * (1 - {fraction}) WHEN i = {lower} + 1 THEN days * {fraction} ELSE 0 END)";
    }

    private static string SqlitePath(params string[] path) => "$." + string.Join('.', path.Select(p => p.Contains('-', StringComparison.Ordinal) ? $"\"{p}\"" : p));
}
