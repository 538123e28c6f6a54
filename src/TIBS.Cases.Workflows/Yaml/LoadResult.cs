using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Yaml;

/// <summary>A position in the YAML text (1-based line and column).</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}

/// <summary>A problem found while reading YAML: malformed text, a wrong shape or an unknown key.</summary>
public sealed record LoadError(string Path, SourcePosition Position, string Message)
{
    public int Line => Position.Line;

    public int Column => Position.Column;

    public override string ToString() =>
        Path.Length == 0 ? $"{Position}: {Message}" : $"{Path} ({Position}): {Message}";
}

/// <summary>Where each path of a loaded document (e.g. <c>stages[1].steps[0].role</c>) was written.</summary>
public sealed class SourceMap(IReadOnlyDictionary<string, SourcePosition> positions)
{
    public static SourceMap Empty { get; } = new(new Dictionary<string, SourcePosition>());

    /// <summary>For each expression written on one line: the file column of each of its characters (escapes skipped).</summary>
    internal IReadOnlyDictionary<string, int[]> ExpressionColumns { get; init; } = new Dictionary<string, int[]>();

    /// <summary>The position of the character at <paramref name="column"/> (1-based) of the expression at <paramref name="path"/>.</summary>
    internal SourcePosition? LocateInExpression(string path, int column)
    {
        if (Locate(path) is not { } start)
        {
            return null;
        }

        if (!ExpressionColumns.TryGetValue(path, out var columns) || columns.Length == 0 || column < 1)
        {
            return start with { Column = start.Column + Math.Max(0, column - 1) };
        }

        return start with { Column = column <= columns.Length ? columns[column - 1] : columns[^1] + column - columns.Length };
    }

    /// <summary>The position of <paramref name="path"/>, or of its nearest written ancestor (a missing key).</summary>
    public SourcePosition? Locate(string path)
    {
        var current = path;
        while (true)
        {
            if (positions.TryGetValue(current, out var position))
            {
                return position;
            }

            if (current.Length == 0)
            {
                return null;
            }

            var cut = Math.Max(current.LastIndexOf('.'), current.LastIndexOf('['));
            current = cut <= 0 ? "" : current[..cut];
        }
    }
}

/// <summary>The outcome of loading YAML: a document when <see cref="Errors"/> is empty.</summary>
public sealed record WorkflowLoadResult(WorkflowDefinitionDocument? Document, IReadOnlyList<LoadError> Errors, SourceMap SourceMap)
{
    public bool Succeeded => Document is not null && Errors.Count == 0;
}
