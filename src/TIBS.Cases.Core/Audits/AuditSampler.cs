using System.Globalization;

namespace TIBS.Cases.Core.Audits;

/// <summary>
/// Draws a sample of strategies, the same for the same seed and the same candidates: the candidates are put in a
/// stable order (reference, then id, compared ordinally, never the database's collation) and shuffled by a
/// Fisher–Yates pass driven by SplitMix64 over the seed. No shared or time-seeded randomness is involved, so a
/// recorded seed draws the recorded list again for as long as the candidates are the same.
/// </summary>
internal static class AuditSampler
{
    /// <summary>The first <paramref name="size"/> candidates of the seeded shuffle (all of them when there are fewer).</summary>
    public static IReadOnlyList<SampleCandidate> Draw(IEnumerable<SampleCandidate> candidates, int size, long seed)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var ordered = candidates
            .DistinctBy(c => c.Id)
            .OrderBy(c => c.Reference, StringComparer.Ordinal)
            .ThenBy(c => c.Id.ToString("N", CultureInfo.InvariantCulture), StringComparer.Ordinal)
            .ToArray();
        var state = unchecked((ulong)seed);
        for (var i = ordered.Length - 1; i > 0; i--)
        {
            var j = (int)(Next(ref state) % (ulong)(i + 1));
            (ordered[i], ordered[j]) = (ordered[j], ordered[i]);
        }

        return ordered.Take(Math.Max(0, size)).ToArray();
    }

    /// <summary>A seed for a new sample taken from a fresh id; it is recorded with the sample so that the draw can be repeated.</summary>
    public static long NewSeed(Guid id) => BitConverter.ToInt64(id.ToByteArray(), 8) & long.MaxValue;

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
