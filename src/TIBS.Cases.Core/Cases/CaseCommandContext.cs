using System.Diagnostics.CodeAnalysis;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// The opening and the closing every command on a case shares, written once. Opening: load what the command decides on in one round trip (<see cref="CaseReader.GetCommandDetailsAsync"/>) → not found →
/// version (unless the command only appends) → closed → <see cref="CaseAccess.CanWrite"/>; each handler then adds
/// its own rule (the step's role, the action's roles, …). Closing: commit the write guarded by the version, a case
/// that closes taking its drafts with it; a concurrent change at any point becomes a
/// <see cref="CaseCommandStatus.Conflict"/> and nothing is written. All loading of commands goes through here.
/// </summary>
public sealed class CaseCommandContext(ICaseStore cases, CaseReader reader, TimeProvider time)
{
    internal DateTimeOffset Now() => time.UtcNow();

    /// <summary>
    /// Opens the case (<see cref="OpenAsync"/>) and, if the actor may act on it, lets <paramref name="decide"/> decide
    /// and write; a concurrent change noticed while reading or writing becomes a conflict showing the case as it is now.
    /// </summary>
    internal async Task<CaseCommandResult> ExecuteAsync(Guid caseId, int? expectedVersion, Actor actor, Func<CaseOpening, Task<CaseCommandResult>> decide, CancellationToken cancellationToken)
    {
        // The read and the write of the command on one connection.
        await using var shared = cases.ShareConnection();
        try
        {
            var opening = await OpenAsync(caseId, expectedVersion, actor, cancellationToken);
            return opening.IsOpen ? await decide(opening) : opening.Refusal;
        }
        catch (ConcurrencyConflictException)
        {
            return CaseCommandResult.Conflict(await cases.GetAsync(caseId, cancellationToken));
        }
    }

    /// <summary>
    /// The case as a command needs it, or the refusal: not found, a stale <paramref name="expectedVersion"/>
    /// (null for a write that only appends), closed, or not the <paramref name="actor"/>'s to change.
    /// </summary>
    internal async Task<CaseOpening> OpenAsync(Guid caseId, int? expectedVersion, Actor actor, CancellationToken cancellationToken)
    {
        var details = await reader.GetCommandDetailsAsync(caseId, cancellationToken);
        if (details is null)
        {
            return new CaseOpening(null, CaseCommandResult.Missing(Localized.Text("The case was not found.")));
        }

        var c = details.Case;
        if (expectedVersion is { } expected && c.Version != expected)
        {
            return new CaseOpening(details, CaseCommandResult.Conflict(c));
        }

        if (CaseClosure.Refusal(c, actor) is { } closed)
        {
            return new CaseOpening(details, closed);
        }

        if (!CaseAccess.CanWrite(actor, c, details.Participants))
        {
            return new CaseOpening(details, new CaseCommandResult(CaseCommandStatus.Forbidden, Localized.Text("You may not change this case.")) { Case = c });
        }

        return new CaseOpening(details, null);
    }

    /// <summary>
    /// The case as a command of the system itself needs it (a timer firing), without a user's access rules: the
    /// caller decides whether the system may act (the case open, the step the same).
    /// </summary>
    internal Task<CaseDetails?> ReadForSystemAsync(Guid caseId, CancellationToken cancellationToken) =>
        reader.GetCommandDetailsAsync(caseId, cancellationToken);

    internal Task<CaseConditionEvaluator> EvaluatorAsync(CaseDetails details, IReadOnlyDictionary<string, FieldValue> values, CancellationToken cancellationToken) =>
        reader.EvaluatorAsync(details, values, cancellationToken);

    /// <summary>Writes the command's rows in one transaction; a concurrent change makes it a conflict.</summary>
    internal async Task<CaseCommandResult> CommitAsync(CaseWrite write, string message, CancellationToken cancellationToken)
    {
        try
        {
            // A case that closes takes its drafts with it: they are personal working data, needed only while it runs.
            await cases.CommitAsync(write.Case.IsClosed ? write with { DiscardAllDrafts = true } : write, cancellationToken);
            return new CaseCommandResult(CaseCommandStatus.Done, message) { Case = write.Case };
        }
        catch (ConcurrencyConflictException)
        {
            return CaseCommandResult.Conflict(await cases.GetAsync(write.Case.Id, cancellationToken));
        }
    }
}

/// <summary>What <see cref="CaseCommandContext.OpenAsync"/> found: the case to act on, or why not.</summary>
internal sealed record CaseOpening(CaseDetails? Details, CaseCommandResult? Refusal)
{
    [MemberNotNullWhen(true, nameof(Details))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsOpen => Refusal is null && Details is not null;

    /// <summary>A refusal that keeps the case, for a rule a handler adds after the opening.</summary>
    public CaseCommandResult Refuse(CaseCommandStatus status, string message) => new(status, message) { Case = Details?.Case };

    public CaseCommandResult Invalid(string field, string message) =>
        new(CaseCommandStatus.InvalidForm, message) { FieldErrors = [new FieldError(field, message)], Case = Details?.Case };
}
