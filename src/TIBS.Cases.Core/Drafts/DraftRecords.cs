using System.Globalization;
using System.Text.Json;

namespace TIBS.Cases.Core.Drafts;

/// <summary>
/// One user's saved, unsubmitted input of one form of a case: personal working data, not part of the audit trail and
/// never shown to anyone else. <see cref="Values"/> are the typed strings by input name, as posted.
/// </summary>
public sealed record CaseDraftRecord
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public Guid UserId { get; init; }

    /// <summary>Which form: see <see cref="DraftForm"/>.</summary>
    public string FormKey { get; init; } = "";

    /// <summary>The step the form belongs to (the step itself, or the step of the check-in).</summary>
    public string StepKey { get; init; } = "";

    /// <summary>The typed values as JSON (an object of input name to a list of strings).</summary>
    public string Data { get; init; } = "{}";
    public DateTimeOffset SavedAt { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values => DraftData.Read(Data);
}

/// <summary>Persistence of drafts. Removing drafts on completion and on closing is part of the case's own transaction (<see cref="Cases.CaseWrite"/>).</summary>
public interface IDraftStore
{
    Task<IReadOnlyList<CaseDraftRecord>> ListAsync(Guid caseId, Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Stores the draft, replacing the user's earlier draft of the same form.</summary>
    Task SaveAsync(CaseDraftRecord draft, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's draft of a form; false when there was none.</summary>
    Task<bool> DeleteAsync(Guid caseId, Guid userId, string formKey, CancellationToken cancellationToken = default);
}

/// <summary>A draft to remove together with a case's change (the form its author just submitted).</summary>
public sealed record DraftDiscard(Guid CaseId, Guid UserId, string FormKey);

/// <summary>What a draft is for: the form of a step, or one occurrence of a check-in.</summary>
public sealed record DraftForm(string StepKey, string? CheckInKey = null, int Occurrence = 0)
{
    public bool IsCheckIn => CheckInKey is not null;

    /// <summary><c>step:&lt;step&gt;</c> or <c>check-in:&lt;check-in&gt;:&lt;occurrence&gt;</c>.</summary>
    public string Key => CheckInKey is null ? "step:" + StepKey : string.Create(CultureInfo.InvariantCulture, $"check-in:{CheckInKey}:{Occurrence}");

    public static DraftForm Step(string stepKey) => new(stepKey);

    public static DraftForm CheckIn(string stepKey, string checkInKey, int occurrence) => new(stepKey, checkInKey, occurrence);

    /// <summary>The form a stored <see cref="Key"/> names, or null for a key of no known shape.</summary>
    public static DraftForm? Parse(string formKey, string stepKey)
    {
        ArgumentNullException.ThrowIfNull(formKey);
        if (formKey == "step:" + stepKey)
        {
            return Step(stepKey);
        }

        var last = formKey.LastIndexOf(':');
        return formKey.StartsWith("check-in:", StringComparison.Ordinal) && last > "check-in:".Length
            && int.TryParse(formKey.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var occurrence) && occurrence > 0
            ? CheckIn(stepKey, formKey["check-in:".Length..last], occurrence)
            : null;
    }
}

/// <summary>The JSON of a draft's typed values.</summary>
internal static class DraftData
{
    public static string Write(IReadOnlyDictionary<string, IReadOnlyList<string>> values) =>
        JsonSerializer.Serialize(values.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string json)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<Dictionary<string, string[]>>(json) ?? [];
            return parsed.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)(p.Value ?? []), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        }
    }
}
