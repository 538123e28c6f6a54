namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The order of the lists of cases by due date (none last), then reference (My work, the overview's cases that need a
/// look), read as parts each in that order from its index and cut at the page.
/// </summary>
internal static class DueOrder
{
    /// <summary>The columns each part selects from <c>cases c</c>: the id and the order's columns.</summary>
    public const string Columns = "c.id, c.step_due_at, c.reference";

    /// <summary>
    /// The ids of the page: the union of the parts (each selecting <see cref="Columns"/>) sorted and cut by the order's
    /// columns the parts carry, so that the cases and their lead companies are then read for the page alone, not for
    /// every row of every part.
    /// </summary>
    public static string Page(ISqlDialect dialect, IEnumerable<string> parts, string takeParameter)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return dialect.Limit($"SELECT u.id FROM ({Rows(parts)}) u ORDER BY CASE WHEN u.step_due_at IS NULL THEN 1 ELSE 0 END, u.step_due_at, u.reference", takeParameter);
    }

    /// <summary>The ids of every part, each once and uncut: for lists each of which is cut at its own page in its part.</summary>
    public static string Union(IEnumerable<string> parts) => $"SELECT u.id FROM ({Rows(parts)}) u";

    private static string Rows(IEnumerable<string> parts) =>
        string.Join("\nUNION\n", parts.Select((part, i) => $"SELECT id, step_due_at, reference FROM ({part}) p{i}"));
}
