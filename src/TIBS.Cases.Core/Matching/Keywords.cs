using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Matching;

/// <summary>Turns free text into comparable terms: lower case, split on anything but letters and digits, stop-words dropped, simple English stemming.</summary>
internal static class Keywords
{
    /// <summary>Longer "words" (a pasted link, a run of letters) are not compared: the database stores terms up to this length.</summary>
    public const int MaxTermLength = 100;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its", "of", "on", "or",
        "our", "that", "the", "their", "them", "they", "this", "to", "we", "with", "who", "will", "small", "new", "know", "how", "incl",
        "partner", "partners", "company", "companies", "sme", "smes", "looking", "need", "needs", "offer", "offers", "seek", "seeking",
    };

    /// <summary>The distinct stemmed terms of <paramref name="text"/>.</summary>
    public static IReadOnlySet<string> Terms(string? text)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (var raw in Tokens(text))
        {
            if (raw.Length < 2 || raw.Length > MaxTermLength || StopWords.Contains(raw) || raw.All(char.IsDigit))
            {
                continue;
            }

            var stem = Stem(raw);
            if (stem.Length >= 2 && !StopWords.Contains(stem))
            {
                result.Add(stem);
            }
        }

        return result;
    }

    /// <summary>Language codes of a comma or space separated list, lower case.</summary>
    public static IReadOnlySet<string> Languages(string? text) =>
        string.IsNullOrWhiteSpace(text) ? new HashSet<string>() : Tokens(text).Where(t => t.Length <= MaxTermLength).ToHashSet(StringComparer.Ordinal);

    /// <summary>A light suffix stripper: plurals, -ing, -ed, -ly, -ment; enough that "sensors" meets "sensor" and "processing" meets "process".</summary>
    public static string Stem(string word)
    {
        var w = word.ToLowerInvariant();
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal))
        {
            return w[..^3] + "y";
        }

        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal))
        {
            return Undouble(w[..^3]);
        }

        if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal))
        {
            return Undouble(w[..^2]);
        }

        if (w.Length > 6 && w.EndsWith("ment", StringComparison.Ordinal))
        {
            return w[..^4];
        }

        if (w.Length > 4 && w.EndsWith("ly", StringComparison.Ordinal))
        {
            return w[..^2];
        }

        if (w.Length > 4 && (w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal) || w.EndsWith("sses", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal)))
        {
            return w[..^2];
        }

        if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal))
        {
            return w[..^1];
        }

        return w;
    }

    private static string Undouble(string w) =>
        w.Length > 3 && w[^1] == w[^2] && w[^1] is not ('l' or 's' or 'z') ? w[..^1] : w;

    private static IEnumerable<string> Tokens(string text) => SearchText.Words(text).Select(w => w.ToLowerInvariant());
}
