using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.PersonalData;

/// <summary>
/// Erases a company's contact person (decision 0043): an administrator, or the system (a retention rule) with a
/// reason. In one transaction: the vault values about the person (their marked notes) lose value and salt, the notes
/// are blanked, the contact person's row is removed (the company shows "erased on …"), every other text column that
/// of their company or of its cases still holds the person's name, e-mail or phone has it replaced (the same name in
/// another company's records may be someone else's and is left), each affected case's chain gets a
/// "personal data erased" system record naming the subject's reference and the reason (never the data), and the
/// administration log its line. Audit events that hold the data as text (written before the vault, or typed without the
/// marker) cannot change without breaking their chain: the result names them.
/// </summary>
public sealed class EraseContactPerson(ICompanyStore companies, IPersonalDataStore vault, TimeProvider time)
{
    public const int MaxReasonLength = 500;

    public sealed record Request(Guid CompanyId, Guid ContactId, string? Reason);

    /// <summary>What an erasure would erase, in words, for the confirmation.</summary>
    public sealed record Preview(Guid CompanyId, string CompanyName, Guid ContactId, string ContactName, string SubjectReference, IReadOnlyList<string> WillErase);

    public sealed record Result(CaseCommandStatus Status, string Message)
    {
        public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];

        /// <summary>What was done, in words (how many places were erased; what remains and why).</summary>
        public IReadOnlyList<string> Summary { get; init; } = [];

        public ErasureOutcome? Outcome { get; init; }

        public bool Succeeded => Status == CaseCommandStatus.Done;
    }

    /// <summary>The subject's reference as the erasure record and the events feed name it.</summary>
    public static string SubjectReference(Guid contactId) => $"{PersonalSubjectKinds.Contact}:{contactId:D}";

    public static bool MayErase(Actor actor) => actor is not null && (actor.IsSystem || actor.Role == WorkflowRole.Administrator);

    public async Task<(Preview? Preview, Result? Refusal)> PreviewAsync(Guid companyId, Guid contactId, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!MayErase(actor))
        {
            return (null, new Result(CaseCommandStatus.Forbidden, Localized.Text("Only administrators may erase personal data.")));
        }

        var company = await companies.GetAsync(companyId, cancellationToken);
        var contact = company?.Contacts.FirstOrDefault(c => c.Id == contactId);
        if (company is null || contact is null)
        {
            return (null, new Result(CaseCommandStatus.NotFound, Localized.Text("The contact person was not found; they may have been erased or removed already.")));
        }

        var held = await vault.OfSubjectAsync(PersonalSubjectKinds.Contact, contactId, cancellationToken);
        var fields = new List<string> { Localized.Format("name ({0})", contact.Name) };
        AddIf(fields, Localized.Text("role title"), contact.Role);
        AddIf(fields, Localized.Text("e-mail"), contact.Email);
        AddIf(fields, Localized.Text("phone"), contact.Phone);
        AddIf(fields, Localized.Text("consent purpose"), contact.ConsentPurpose);
        var will = new List<string> { Localized.Format("The contact person's {0} at {1}.", string.Join(", ", fields), company.Name) };
        var notes = held.Where(r => r.Field == PersonalDataFields.NoteText && r.ErasedAt is null).Select(r => r.Ref).Distinct().Count();
        if (notes > 0)
        {
            will.Add(notes == 1 ? Localized.Text("The text of 1 case note marked as containing their personal data.") : Localized.Format("The text of {0} case notes marked as containing their personal data.", notes));
        }

        will.Add(Localized.Text("Every other copy of these values outside the audit trail (notifications, drafts, search keys, file names, …)."));
        return (new Preview(company.Id, company.Name, contactId, contact.Name, SubjectReference(contactId), will), null);
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var (preview, refusal) = await PreviewAsync(request.CompanyId, request.ContactId, actor, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var company = (await companies.GetAsync(request.CompanyId, cancellationToken))!;
        var contact = company.Contacts.First(c => c.Id == request.ContactId);
        var values = new[] { contact.Name, contact.Email, contact.Phone }.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length == 0)
        {
            return Invalid(Localized.Text("Write the reason for the erasure (for example \"the person asked to be erased on 2026-12-01\"); it is kept in the audit trail."));
        }

        if (reason.Length > MaxReasonLength)
        {
            return Invalid(Localized.Format("The reason is {0} characters long; shorten it to at most {1}.", reason.Length, MaxReasonLength));
        }

        if (values.FirstOrDefault(v => reason.Contains(v, StringComparison.OrdinalIgnoreCase)) is { } named)
        {
            return Invalid(Localized.Format("The reason contains \"{0}\", which is personal data being erased; the reason stays in the audit trail, so say why without naming the person.", named));
        }

        var now = time.GetUtcNow();
        var subject = preview!.SubjectReference;
        var entry = AdministrationRules.Entry(actor, AdministrationActions.PersonalDataErased, null,
            $"Erased the personal data of contact person {subject} of {company.Name}. Reason: {reason}", now);
        var outcome = await vault.EraseAsync(new PersonalDataErasure(
            PersonalSubjectKinds.Contact, contact.Id, company.Id, values, reason, now,
            (caseId, plaintext) => new SystemRecord(CaseEventKinds.PersonalDataErased, null, new JsonObject
            {
                ["subject"] = subject,
                ["reason"] = reason,
                ["erasedAt"] = now.ToString("O", CultureInfo.InvariantCulture),
                ["plaintextEvents"] = plaintext,
            }.ToJsonString(), now),
            entry), cancellationToken);
        return new Result(CaseCommandStatus.Done, Localized.Format("The personal data of the contact person of {0} is erased.", company.Name))
        {
            Outcome = outcome,
            Summary = Describe(outcome),
        };
    }

    private static List<string> Describe(ErasureOutcome outcome)
    {
        var lines = new List<string>
        {
            Localized.Format(
                "Places erased: {0} — the contact person's record, {1}, {2} and {3}.",
                outcome.VaultValues + outcome.Notes + outcome.OtherPlaces,
                Count(outcome.VaultValues, Localized.Text("1 value in the personal-data vault"), Localized.Format("{0} values in the personal-data vault", Math.Max(outcome.VaultValues, 0))),
                Count(outcome.Notes, Localized.Text("1 case note"), Localized.Format("{0} case notes", Math.Max(outcome.Notes, 0))),
                Count(outcome.OtherPlaces - 1, Localized.Text("1 other copy"), Localized.Format("{0} other copies", Math.Max(outcome.OtherPlaces - 1, 0)))),
            outcome.CaseReferences.Count == 0
                ? Localized.Text("No case held their personal data, so no case trail records the erasure.")
                : outcome.CaseReferences.Count == 1
                    ? Localized.Format("The erasure is recorded, without the data, in the audit trail of 1 case ({0}) and published in the events feed.", outcome.CaseReferences[0])
                    : Localized.Format("The erasure is recorded, without the data, in the audit trail of {0} cases ({1}) and published in the events feed.", outcome.CaseReferences.Count, string.Join(", ", outcome.CaseReferences)),
        };
        lines.AddRange(outcome.Remaining.Select(r =>
            r.Events == 1
                ? Localized.Format("Not erased: 1 audit event of case {0} hold these values as text (written before personal data was kept by reference, or typed without the marker). An audit event cannot change without breaking the case's hash chain; the case's record of this erasure counts them.", r.CaseReference)
                : Localized.Format("Not erased: {0} audit events of case {1} hold these values as text (written before personal data was kept by reference, or typed without the marker). An audit event cannot change without breaking the case's hash chain; the case's record of this erasure counts them.", r.Events, r.CaseReference)));
        return lines;
    }

    private static string Count(int n, string one, string many) => n == 1 ? one : many;

    private static void AddIf(List<string> fields, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            fields.Add($"{label} ({value})");
        }
    }

    private static Result Invalid(string message) =>
        new(CaseCommandStatus.InvalidForm, message) { FieldErrors = [new FieldError("Reason", message)] };
}
