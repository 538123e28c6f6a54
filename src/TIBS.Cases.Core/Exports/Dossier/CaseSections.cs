using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;

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
            new("Reference", c.Reference),
            new("Title", c.Title),
            new("SME", lead?.Name ?? d.Participants.FirstOrDefault(p => p.CompanyId == c.LeadCompanyId)?.CompanyName ?? "A company no longer in TIBS"),
            new("Country", lead is null ? "—" : ReferenceLabels.Country(lead.CountryCode)),
            new("Region", $"{labels.Region(c.RegionCode)} ({c.RegionCode})"),
            new("Broker", context.OwnerName),
            new("Definition version", $"{d.Plan.Name}, version {d.Plan.Version.ToString(CultureInfo.InvariantCulture)}"),
            new("Status", Words.CaseStatus(c.Status)),
            new("Current step", context.Display.StepName(c.CurrentStep)),
            new("Opened", DossierText.When(c.OpenedAt)),
            new("Closed", DossierText.When(c.ClosedAt, "Not closed")),
        };
        var partners = d.Participants.Where(p => p.CompanyId != c.LeadCompanyId).ToList();
        var countries = partners.Select(p => p.CountryCode).Where(code => code.Length > 0).Distinct().Select(ReferenceLabels.Country).ToList();
        facts.Add(new("Partner countries", countries.Count == 0 ? "None" : string.Join(", ", countries)));
        List<DossierBlock> blocks = [new DossierFacts(facts)];
        blocks.Add(partners.Count == 0
            ? new DossierParagraph("No partners take part in this strategy.")
            : new DossierTable(["Partner", "Country", "Region", "Status"], [3, 2, 2, 2],
                [.. partners.Select(p => (IReadOnlyList<string>)[p.CompanyName, p.CountryCode.Length == 0 ? "—" : ReferenceLabels.Country(p.CountryCode), labels.Region(p.RegionCode), Words.PipelineStatus(p.PipelineStatus)])]));
        return Task.FromResult<DossierSection?>(new DossierSection("Strategy", blocks));
    }
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

        return Task.FromResult<DossierSection?>(new DossierSection("Steps", blocks.Count == 0 ? [new DossierParagraph("No step recorded.")] : blocks));
    }

    /// <summary>A step record: its name and stage, when it started, was due and was completed, by whom, how, and its form.</summary>
    public static IEnumerable<DossierBlock> Step(DossierContext context, CaseStepRecord step)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(step);
        var plan = context.Case.Plan;
        var planStep = plan.TryGetStep(step.StepKey, out var s) ? s : null;
        var stage = step.StageKey is { } k ? plan.Stages.FirstOrDefault(x => x.Key == k)?.Name ?? Words.Humanize(k) : null;
        yield return new DossierHeading(stage is null ? context.Display.StepName(step.StepKey) : $"{context.Display.StepName(step.StepKey)} ({stage})");
        var facts = new List<DisplayLine>
        {
            new("Started", DossierText.When(step.StartedAt)),
            new("Due", DossierText.When(step.DueAt, "No due date")),
            new("Completed", DossierText.When(step.CompletedAt, "Not completed")),
        };
        if (step.CompletedAt is not null)
        {
            facts.Add(new("Completed by", context.Display.UserName(step.CompletedBy)));
            var outcome = planStep?.Outcomes.FirstOrDefault(o => o.Key == step.Outcome);
            facts.Add(new("Outcome", outcome?.Label is { Length: > 0 } label ? label : Words.Humanize(step.Outcome)));
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
            return Task.FromResult<DossierSection?>(plan.CheckIns.Count == 0 ? null : new DossierSection("Check-ins", [new DossierParagraph("No check-in recorded.")]));
        }

        var blocks = new List<DossierBlock>();
        foreach (var c in checkIns)
        {
            var planned = plan.CheckIns.FirstOrDefault(p => p.Key == c.CheckInKey);
            blocks.Add(new DossierHeading($"{planned?.Name ?? Words.Humanize(c.CheckInKey)} {c.Occurrence.ToString(CultureInfo.InvariantCulture)}"));
            blocks.Add(new DossierFacts(
            [
                new("Due", DossierText.When(c.DueAt)),
                new("Recorded", DossierText.When(c.RecordedAt)),
                new("Recorded by", context.Display.UserName(c.RecordedBy)),
                new("In its window", c.RecordedAt <= c.DueAt ? "Yes" : "No, recorded after its due date"),
            ]));
            var values = FormDataJson.Deserialize(c.FormData);
            if (values.Count > 0)
            {
                blocks.Add(new DossierFacts(context.Display.Values.Lines(planned?.Fields ?? [], values)));
            }
        }

        return Task.FromResult<DossierSection?>(new DossierSection("Check-ins", blocks));
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
            $"Agreement ({stage.Name})", blocks.Count == 0 ? [new DossierParagraph("The case has not reached the agreement.")] : blocks));
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
        return Task.FromResult<DossierSection?>(new DossierSection("Attachments", files.Count == 0 ? [new DossierParagraph("No file attached.")] : Files(context, files)));
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
                new("Step", a.StepKey is null ? "Case file" : context.Display.StepName(a.StepKey)),
                new("Size", DossierText.Size(a.SizeBytes)),
                new("Uploaded", $"{DossierText.When(a.UploadedAt)} by {context.Display.UserName(a.UploadedBy)}"),
                new("SHA-256", a.Sha256),
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
        return Task.FromResult<DossierSection?>(new DossierSection("Timeline", [new DossierTable(["#", "When", "Who", "What", "Details"], [0.6, 2.2, 2, 2.6, 5], rows)]));
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
            new("Result", audit.IsIntact ? "Verified" : "Not verified"),
            new("Events in the chain", c.AuditCount.ToString(CultureInfo.InvariantCulture)),
            new("Head hash", c.AuditHeadHash),
        };
        if (audit.Covered is { } covered)
        {
            facts.Add(new("Anchored", string.Create(CultureInfo.InvariantCulture, $"the first {covered.Count} events, by checkpoint {covered.CheckpointSeq} signed {DossierText.When(covered.SignedAt)}")));
            facts.Add(new("Anchored head hash", covered.Head));
        }
        else
        {
            facts.Add(new("Anchored", "No signed checkpoint covers this case yet."));
        }

        if (context.LatestCheckpoint is { } latest)
        {
            facts.Add(new("Latest anchor", string.Create(CultureInfo.InvariantCulture, $"checkpoint {latest.Seq} of {DossierText.When(latest.CreatedAt)}, key {latest.KeyId}, root {latest.Root}")));
        }
        else
        {
            facts.Add(new("Latest anchor", "No checkpoint has been signed yet."));
        }

        return Task.FromResult<DossierSection?>(new DossierSection("Audit trail", [new DossierParagraph(audit.Describe()), new DossierFacts(facts)]));
    }
}
