using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Exports.Dossier;

/// <summary>The cover: the SME, its region, the partners and their countries, the definition version, the case's dates.</summary>
internal sealed class CoverSection : IDossierSection
{
    public int Order => 100;

    public Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var d = context.Case;
        var c = d.Case;
        var labels = context.Display.Reference;
        var lead = context.LeadCompany;
        var facts = new List<DisplayLine>
        {
            new(Localized.Text("Reference"), c.Reference),
            new(Localized.Text("Title"), c.Title),
            new(Localized.Text("SME"), lead?.Name ?? d.Participants.FirstOrDefault(p => p.CompanyId == c.LeadCompanyId)?.CompanyName ?? Localized.Text("A company no longer in TIBS")),
            new(Localized.Text("Country"), lead is null ? "—" : ReferenceLabels.Country(lead.CountryCode)),
            new(Localized.Text("Region"), Localized.Format("{0} ({1})", labels.Region(c.RegionCode), c.RegionCode)),
            new(Capitalised(Localized.Text("broker")), context.OwnerName),
            new(Localized.Text("Definition version"), Localized.Format("{0}, version {1}", d.Plan.Name, d.Plan.Version.ToString(CultureInfo.InvariantCulture))),
            new(Localized.Text("Status"), Words.CaseStatus(c.Status)),
            new(Localized.Text("Current step"), context.Display.StepName(c.CurrentStep)),
            new(Localized.Text("Opened"), DossierText.When(c.OpenedAt)),
            new(Localized.Text("Closed"), DossierText.When(c.ClosedAt, Localized.Text("Not closed"))),
        };
        var partners = d.Participants.Where(p => p.CompanyId != c.LeadCompanyId).ToList();
        var countries = partners.Select(p => p.CountryCode).Where(code => code.Length > 0).Distinct().Select(ReferenceLabels.Country).ToList();
        facts.Add(new(Localized.Text("Partner countries"), countries.Count == 0 ? Localized.Text("None") : string.Join(", ", countries)));
        List<DossierBlock> blocks = [new DossierFacts(facts)];
        blocks.Add(partners.Count == 0
            ? new DossierParagraph(Localized.Text("No partners take part in this strategy."))
            : new DossierTable([Localized.Text("Partner"), Localized.Text("Country"), Localized.Text("Region"), Localized.Text("Status")], [3, 2, 2, 2],
                [.. partners.Select(p => (IReadOnlyList<string>)[p.CompanyName, p.CountryCode.Length == 0 ? "—" : ReferenceLabels.Country(p.CountryCode), labels.Region(p.RegionCode), Words.PipelineStatus(p.PipelineStatus)])]));
        return Task.FromResult<DossierSection?>(new DossierSection(Localized.Text("Strategy"), blocks));
    }

    private static string Capitalised(string word) => word.Length == 0 ? word : char.ToUpper(word[0], CultureInfo.CurrentCulture) + word[1..];
}

/// <summary>Every step the case went through, in order, with its form in the labels the case page shows.</summary>
internal sealed class StepsSection : IDossierSection
{
    public int Order => 200;

    public Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var blocks = new List<DossierBlock>();
        foreach (var step in context.Case.Steps.OrderBy(s => s.StartedAt))
        {
            blocks.AddRange(Step(context, step));
        }

        return Task.FromResult<DossierSection?>(new DossierSection(Localized.Text("Steps"), blocks.Count == 0 ? [new DossierParagraph(Localized.Text("No step recorded."))] : blocks));
    }

    /// <summary>A step record: its name and stage, when it started, was due and was completed, by whom, how, and its form.</summary>
    public static IEnumerable<DossierBlock> Step(DossierContext context, CaseStepRecord step)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(step);
        var plan = context.Case.Plan;
        var planStep = plan.TryGetStep(step.StepKey, out var s) ? s : null;
        var stage = step.StageKey is { } k ? plan.Stages.FirstOrDefault(x => x.Key == k)?.Name ?? Words.Humanize(k) : null;
        yield return new DossierHeading(stage is null ? context.Display.StepName(step.StepKey) : Localized.Format("{0} ({1})", context.Display.StepName(step.StepKey), stage));
        var facts = new List<DisplayLine>
        {
            new(Localized.Text("Started"), DossierText.When(step.StartedAt)),
            new(Localized.Text("Due"), DossierText.When(step.DueAt, Localized.Text("No due date"))),
            new(Localized.Text("Completed"), DossierText.When(step.CompletedAt, Localized.Text("Not completed"))),
        };
        if (step.CompletedAt is not null)
        {
            facts.Add(new(Localized.Text("Completed by"), context.Display.UserName(step.CompletedBy)));
            var outcome = planStep?.Outcomes.FirstOrDefault(o => o.Key == step.Outcome);
            facts.Add(new(Localized.Text("Outcome"), outcome?.Label is { Length: > 0 } label ? label : Words.Humanize(step.Outcome)));
        }

        yield return new DossierFacts(facts);
        var values = FormDataJson.Deserialize(step.FormData);
        if (values.Count > 0)
        {
            yield return new DossierFacts(context.Display.Values.Lines(planStep?.Fields ?? [], values));
        }
    }
}

/// <summary>The follow-up check-ins: each with its due and recorded dates, who recorded it, and its form.</summary>
internal sealed class CheckInsSection : IDossierSection
{
    public int Order => 300;

    public Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var plan = context.Case.Plan;
        var checkIns = context.Case.CheckIns.OrderBy(c => c.DueAt).ThenBy(c => c.Occurrence).ToList();
        if (checkIns.Count == 0)
        {
            return Task.FromResult<DossierSection?>(plan.CheckIns.Count == 0 ? null : new DossierSection(Localized.Text("Check-ins"), [new DossierParagraph(Localized.Text("No check-in recorded."))]));
        }

        var blocks = new List<DossierBlock>();
        foreach (var c in checkIns)
        {
            var planned = plan.CheckIns.FirstOrDefault(p => p.Key == c.CheckInKey);
            blocks.Add(new DossierHeading($"{planned?.Name ?? Words.Humanize(c.CheckInKey)} {c.Occurrence.ToString(CultureInfo.InvariantCulture)}"));
            blocks.Add(new DossierFacts(
            [
                new(Localized.Text("Due"), DossierText.When(c.DueAt)),
                new(Localized.Text("Recorded"), DossierText.When(c.RecordedAt)),
                new(Localized.Text("Recorded by"), context.Display.UserName(c.RecordedBy)),
                new(Localized.Text("In its window"), c.RecordedAt <= c.DueAt ? Localized.Text("Yes") : Localized.Text("No, recorded after its due date")),
            ]));
            var values = FormDataJson.Deserialize(c.FormData);
            if (values.Count > 0)
            {
                blocks.Add(new DossierFacts(context.Display.Values.Lines(planned?.Fields ?? [], values)));
            }
        }

        return Task.FromResult<DossierSection?>(new DossierSection(Localized.Text("Check-ins"), blocks));
    }
}

/// <summary>The agreement: the steps of the definition's agreement stage with their latest forms and the files attached to them.</summary>
internal sealed class AgreementSection : IDossierSection
{
    public const string StageKey = "agreement";

    public int Order => 400;

    public Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var d = context.Case;
        var stage = d.Plan.Stages.FirstOrDefault(s => s.Key == StageKey);
        if (stage is null)
        {
            return Task.FromResult<DossierSection?>(null);
        }

        var blocks = new List<DossierBlock>();
        foreach (var key in stage.StepKeys)
        {
            // The latest time the case went through the step: what was finally agreed.
            if (d.Steps.Where(s => s.StepKey == key).OrderBy(s => s.StartedAt).LastOrDefault() is { } step)
            {
                blocks.AddRange(StepsSection.Step(context, step));
            }
        }

        var files = d.Attachments.Where(a => a.StepKey is { } k && stage.StepKeys.Contains(k)).ToList();
        if (files.Count > 0)
        {
            blocks.AddRange(AttachmentsSection.Files(context, files));
        }

        return Task.FromResult<DossierSection?>(new DossierSection(
            Localized.Format("Agreement ({0})", stage.Name), blocks.Count == 0 ? [new DossierParagraph(Localized.Text("The case has not reached the agreement."))] : blocks));
    }
}

/// <summary>Every file attached to the case, with its size and SHA-256 (the fingerprint that proves the file unchanged).</summary>
internal sealed class AttachmentsSection : IDossierSection
{
    public int Order => 500;

    public Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var files = context.Case.Attachments.OrderBy(a => a.UploadedAt).ToList();
        return Task.FromResult<DossierSection?>(new DossierSection(Localized.Text("Attachments"), files.Count == 0 ? [new DossierParagraph(Localized.Text("No file attached."))] : Files(context, files)));
    }

    /// <summary>Each file: its name, then its step, size, upload and SHA-256 (whole, on one line, to compare with the file).</summary>
    public static IReadOnlyList<DossierBlock> Files(DossierContext context, IReadOnlyList<CaseAttachmentRecord> files)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(files);
        return [.. files.SelectMany(a => (DossierBlock[])
        [
            new DossierHeading(a.FileName),
            new DossierFacts(
            [
                new(Localized.Text("Step"), a.StepKey is null ? Localized.Text("Case file") : context.Display.StepName(a.StepKey)),
                new(Localized.Text("Size"), DossierText.Size(a.SizeBytes)),
                new(Localized.Text("Uploaded"), Localized.Format("{0} by {1}", DossierText.When(a.UploadedAt), context.Display.UserName(a.UploadedBy))),
                new(Localized.Text("SHA-256"), a.Sha256),
            ]),
        ])];
    }
}

/// <summary>The full timeline, oldest first: every event with when, who, what and its details.</summary>
internal sealed class TimelineSection : IDossierSection
{
    public int Order => 600;

    public Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rows = context.Timeline.OrderBy(e => e.Seq).Select(e => (IReadOnlyList<string>)
        [
            e.Seq.ToString(CultureInfo.InvariantCulture),
            DossierText.When(e.OccurredAt),
            e.ActorName,
            e.StepName is { Length: > 0 } step ? $"{e.Title} — {step}" : e.Title,
            string.Join(" ", e.Details.Concat(e.Form.Select(f => $"{f.Label}: {f.Value}"))),
        ]).ToList();
        return Task.FromResult<DossierSection?>(new DossierSection(Localized.Text("Timeline"), [new DossierTable(["#", Localized.Text("When"), Localized.Text("Who"), Localized.Text("What"), Localized.Text("Details")], [0.6, 2.2, 2, 2.6, 5], rows)]));
    }
}

/// <summary>The verdict on the whole audit trail: intact or what is wrong, the head hash, and the latest signed anchor.</summary>
internal sealed class AuditTrailSection : IDossierSection
{
    public int Order => 700;

    public Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = context.Case.Case;
        var audit = context.Audit;
        var facts = new List<DisplayLine>
        {
            new(Localized.Text("Result"), audit.IsIntact ? Localized.Text("Verified") : Localized.Text("Not verified")),
            new(Localized.Text("Events in the chain"), MessageDates.Number(c.AuditCount)),
            new(Localized.Text("Head hash"), c.AuditHeadHash),
        };
        if (audit.Covered is { } covered)
        {
            facts.Add(new(Localized.Text("Anchored"), Localized.Format("the first {0} events, by checkpoint {1} signed {2}", MessageDates.Number(covered.Count), covered.CheckpointSeq.ToString(CultureInfo.InvariantCulture), DossierText.When(covered.SignedAt))));
            facts.Add(new(Localized.Text("Anchored head hash"), covered.Head));
        }
        else
        {
            facts.Add(new(Localized.Text("Anchored"), Localized.Text("No signed checkpoint covers this case yet.")));
        }

        if (context.LatestCheckpoint is { } latest)
        {
            facts.Add(new(Localized.Text("Latest anchor"), Localized.Format("checkpoint {0} of {1}, key {2}, root {3}", latest.Seq.ToString(CultureInfo.InvariantCulture), DossierText.When(latest.CreatedAt), latest.KeyId, latest.Root)));
        }
        else
        {
            facts.Add(new(Localized.Text("Latest anchor"), Localized.Text("No checkpoint has been signed yet.")));
        }

        return Task.FromResult<DossierSection?>(new DossierSection(Localized.Text("Audit trail"), [new DossierParagraph(audit.Describe()), new DossierFacts(facts)]));
    }
}
