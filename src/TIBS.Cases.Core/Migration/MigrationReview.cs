using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Migration;

namespace TIBS.Cases.Core.Migration;

/// <summary>One case as the coordinator saw it in the review: its version, where it is, where it goes.</summary>
public sealed record ReviewedCase(Guid CaseId, string Reference, int Version, int AuditCount, string FromStep, string ToStep, bool OnHold);

/// <summary>
/// A dry run as reviewed: the plan, and per case what it was based on. <see cref="Fingerprint"/> is a SHA-256 over the
/// definition, the versions, the mappings and, per case, its version, source and target step and hold; the plan that
/// runs must have the same. <see cref="Token"/> carries the reviewed cases back with the confirmation.
/// </summary>
public sealed record MigrationReview(string Key, int From, int To, IReadOnlyDictionary<string, string> Mappings, MigrationPlan Plan, IReadOnlyList<ReviewedCase> Cases)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Fingerprint => FingerprintOf(Key, From, To, Mappings, Cases);

    /// <summary>The first characters of the fingerprint, to show.</summary>
    public string ShortFingerprint => Fingerprint[..12];

    public string Token => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new TokenBody(Key, From, To, Mappings.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal), [.. Cases]), Json))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The case line of the plan for a reviewed case.</summary>
    public ReviewedCase? CaseOf(string planCaseId) => Cases.FirstOrDefault(c => c.CaseId.ToString() == planCaseId);

    internal static MigrationReview Of(PreparedMigration prepared, int from, int to)
    {
        var cases = prepared.Plan.Cases.Select(m =>
        {
            var c = prepared.Details[m.CaseId].Case;
            return new ReviewedCase(c.Id, c.Reference, c.Version, c.AuditCount, m.FromStep, m.ToStep, c.IsOnHold);
        }).ToList();
        return new MigrationReview(prepared.Key, from, to, prepared.Mappings, prepared.Plan, cases);
    }

    /// <summary>Reads a token back; null when it is not one this application wrote.</summary>
    internal static ReviewToken? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1_000_000)
        {
            return null;
        }

        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var body = JsonSerializer.Deserialize<TokenBody>(Convert.FromBase64String(base64), Json);
            return body is { Key: not null, Mappings: not null, Cases: not null } ? new ReviewToken(body.Key, body.From, body.To, body.Mappings, body.Cases) : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    internal static string FingerprintOf(string key, int from, int to, IReadOnlyDictionary<string, string> mappings, IEnumerable<ReviewedCase> cases)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{key}\n{from}\n{to}\n");
        foreach (var (source, target) in mappings.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"map {source} {target}\n");
        }

        foreach (var c in cases.OrderBy(c => c.CaseId))
        {
            text.Append(CultureInfo.InvariantCulture, $"case {c.CaseId:N} {c.Version} {c.FromStep} {c.ToStep} {(c.OnHold ? "on-hold" : "active")}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private sealed record TokenBody(string Key, int From, int To, Dictionary<string, string> Mappings, List<ReviewedCase> Cases);
}

/// <summary>What a confirmation brought back from the review.</summary>
internal sealed record ReviewToken(string Key, int From, int To, Dictionary<string, string> Mappings, IReadOnlyList<ReviewedCase> Cases)
{
    public string Fingerprint => MigrationReview.FingerprintOf(Key, From, To, Mappings, Cases);
}
