using TIBS.Cases.Core.Companies.Import;

namespace TIBS.Cases.Core.Companies;

/// <summary>Thrown by a store when a company's register number is already another company's in the same country (the unique index).</summary>
public sealed class RegisterNumberTakenException(CompanySummary existing) : Exception($"The register number belongs to company {existing?.Id}.")
{
    public CompanySummary Existing { get; } = existing ?? throw new ArgumentNullException(nameof(existing));
}

/// <summary>
/// How the registry recognises a company it already has, at registration (form and API) and at import: the same
/// register or VAT number in the same country is the same company (refused); a close name in the same region is a
/// probable duplicate (a warning the person may overrule), unless both have register numbers and they differ.
/// </summary>
internal static class CompanyDuplicates
{
    /// <summary>The existing companies <paramref name="candidate"/> is probably a duplicate of, by name, in name order.</summary>
    public static IReadOnlyList<CompanySummary> ProbableDuplicates(
        string name, string regionCode, string? registerNumber, IEnumerable<CompanySummary> existing, Guid? except = null)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var key = ImportColumns.NormalizedName(name);
        return
        [
            .. existing.Where(e => e.Id != except && e.RegionCode == regionCode
                    && !(registerNumber is not null && e.RegisterNumber is not null && e.RegisterNumber != registerNumber)
                    && IsCloseName(key, ImportColumns.NormalizedName(e.Name)))
                .OrderBy(e => e.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// Whether two normalised names (<see cref="ImportColumns.NormalizedName"/>) are close: equal, or apart by at most
    /// one typing mistake (two in names of 12 characters or more), or one is the other with words added at the end
    /// ("Podlasie Dairy" and "Podlasie Dairy Tech").
    /// </summary>
    public static bool IsCloseName(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }

        if (a == b)
        {
            return true;
        }

        var shorter = Math.Min(a.Length, b.Length);
        var allowed = shorter >= 12 ? 2 : shorter >= 5 ? 1 : 0;
        if (allowed > 0 && Math.Abs(a.Length - b.Length) <= allowed && Distance(a, b, allowed) <= allowed)
        {
            return true;
        }

        var (small, large) = a.Length < b.Length ? (a, b) : (b, a);
        return small.Contains(' ', StringComparison.Ordinal) && large.StartsWith(small + " ", StringComparison.Ordinal);
    }

    /// <summary>Levenshtein distance, stopping early once it is certainly over <paramref name="limit"/>.</summary>
    private static int Distance(string a, string b, int limit)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var best = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                best = Math.Min(best, current[j]);
            }

            if (best > limit)
            {
                return best;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
