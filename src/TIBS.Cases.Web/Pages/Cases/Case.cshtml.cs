using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>
/// One case: stage progress, the current step's form generated from the definition with its outcomes (unavailable
/// ones with the unmet conditions in words), check-ins, case-wide actions, timeline, notes, attachments and the
/// diagram. Every POST carries the case version it was based on; a conflict keeps the user's input.
/// </summary>
[TIBS.Cases.Web.Infrastructure.RequestSafety.AcceptsUploads]
internal sealed partial class CaseModel(
    GetCase getCase,
    CompleteStep completeStep,
    ApplyCaseAction applyCaseAction,
    RecordCheckIn recordCheckIn,
    AddNote addNote,
    AddAttachment addAttachment,
    OpenAttachment openAttachment,
    IStringLocalizer<Ui> t) : PageModel
{
    private static readonly HashSet<string> ControlFields = new(StringComparer.Ordinal) { "__RequestVerificationToken", "version", "outcome", "handler", "outcomeReason" };

    public CaseDetails Details { get; private set; } = null!;

    public IReadOnlyList<CaseAction> Actions { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> UserNames { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>Who the case may be reassigned to.</summary>
    public IReadOnlyList<Choice> Brokers { get; private set; } = [];

    public Actor Me { get; private set; } = null!;

    public bool CanWrite { get; private set; }

    public bool MayCompleteStep { get; private set; }

    public IReadOnlyList<WorkflowRole> MyRoles { get; private set; } = [];

    /// <summary>What the user posted, shown again after an error or a conflict.</summary>
    public Dictionary<string, List<string>> Posted { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public string? ErrorMessage { get; private set; }

    public IReadOnlyList<UnmetConditionView> UnmetShown { get; private set; } = [];

    /// <summary>Which form the posted input belongs to: step, check-in, note, action, attachment.</summary>
    public string? PostedForm { get; private set; }

    public string Diagram { get; private set; } = "";

    /// <summary>The audit trail judged against its chain and the signed checkpoints: the events shown, or the whole trail when asked.</summary>
    public TIBS.Cases.Core.Audit.CaseAuditResult Audit { get; private set; } = null!;

    /// <summary>The events shown, in words, newest first.</summary>
    public IReadOnlyList<TIBS.Cases.Core.Display.CaseEventView> Timeline { get; private set; } = [];

    /// <summary>How many events came before the oldest one shown, and where the link to them starts.</summary>
    public int EarlierEvents { get; private set; }

    public int? EarlierBefore { get; private set; }

    /// <summary>How many events came after the newest one shown (on an earlier page).</summary>
    public int LaterEvents { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public IReadOnlyList<(string Value, string Label)> S3Areas { get; private set; } = [];

    public IReadOnlyList<(string Value, string Label)> NaceSections { get; private set; } = [];

    public IReadOnlyList<(string Value, string Label)> Regions { get; private set; } = [];

    /// <summary>Builds the input of a field of the step (form "step") or of a check-in (form "check-in:…").</summary>
    public FieldInput Input(PlanField field, string form, IReadOnlyDictionary<string, FieldValue>? saved)
    {
        var table = saved is not null && saved.TryGetValue(field.Key, out var t) && t is TableValue tv ? tv : null;
        var typed = TypedFor(form);
        var postedRows = typed is not null
            ? typed.Keys.Where(k => k.StartsWith(field.Key + "[", StringComparison.Ordinal))
                .Select(k => int.TryParse(k.AsSpan(field.Key.Length + 1, k.IndexOf(']', StringComparison.Ordinal) - field.Key.Length - 1), out var n) ? n + 1 : 0)
                .DefaultIfEmpty(0).Max()
            : 0;
        var rows = Math.Max(Math.Max(postedRows, table?.Rows.Count ?? 0) + 1, 2);
        return new FieldInput(
            field,
            field.Key,
            ValueOf(field.Key, saved, form),
            ValuesOf(field.Key, saved, form),
            PostedForm == form ? FieldErrors.GetValueOrDefault(field.Key) : null,
            ChoicesFor(field),
            rows,
            (row, column) =>
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"{field.Key}[{row}].{column}");
                if (typed is not null && typed.TryGetValue(name, out var v))
                {
                    return v.FirstOrDefault() ?? "";
                }

                return table is not null && row < table.Rows.Count && table.Rows[row].TryGetValue(column, out var cell) ? CultureNumbers.Text(cell) : "";
            },
            (row, column) => PostedForm == form ? FieldErrors.GetValueOrDefault(string.Create(CultureInfo.InvariantCulture, $"{field.Key}[{row}].{column}")) : null)
        {
            ColumnChoices = field.Columns.ToDictionary(c => c.Key, ChoicesFor),
        };
    }

    private IReadOnlyList<(string Value, string Label)> ChoicesFor(PlanField field) => field.Type switch
    {
        FieldType.Choice or FieldType.MultiChoice => [.. field.Options.Select(o => (o.Value, o.Label))],
        FieldType.Taxonomy => field.Taxonomy switch
        {
            "s3-area" => S3Areas,
            "nace" => NaceSections,
            "region" => Regions,
            _ => [.. Countries.All.Select(c => (c.Code, $"{c.Name} ({c.Code})"))],
        },
        FieldType.Company => [.. Details.Participants.Select(p => (p.CompanyId.ToString(), $"{p.CompanyName} ({p.CountryCode}, {TIBS.Cases.Core.Display.Words.PipelineStatus(p.Role == ParticipantRole.Lead ? PipelineStatus.Lead : p.PipelineStatus)})"))],
        FieldType.File => [.. Details.Attachments.Select(a => (a.Id.ToString(), a.FileName))],
        _ => [],
    };

    public sealed record UnmetConditionView(string Condition, string Reason);

    /// <summary>The case with the latest events, or (<paramref name="before"/>) the events before one; <paramref name="verify"/> "trail" judges the whole audit trail.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, int? before, string? verify, CancellationToken cancellationToken)
    {
        var request = new GetCase.Request(id, before is null ? null : new EventPage(Before: before), verify == "trail");
        if (request.Problem() is { } problem)
        {
            return BadRequest(problem);
        }

        return await LoadAsync(request, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostCompleteAsync(Guid id, int version, string? outcome, string? outcomeReason, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        PostedForm = "step";
        KeepPosted();
        if (string.IsNullOrEmpty(outcome))
        {
            ErrorMessage = t["Choose an outcome to complete the step."];
            return Page();
        }

        var step = Details.CurrentStep;
        var pairs = CultureNumbers.ToInvariant(
            Request.Form.Where(f => !ControlFields.Contains(f.Key)).SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string?>(f.Key, v))),
            step?.Fields ?? [],
            FieldErrors,
            t);
        if (FieldErrors.Count > 0)
        {
            return NumbersRefused();
        }

        var input = FormInput.FromPairs(pairs);
        // A file input left empty posts an empty part: no file was chosen there.
        var uploads = (step?.Fields.Where(f => f.Type == FieldType.File) ?? [])
            .SelectMany(field => Request.Form.Files.GetFiles(field.Key).Where(f => f.Length > 0).Select(f => Uploaded(f, field.Key)))
            .ToList();
        var result = await completeStep.HandleAsync(new CompleteStep.Request(id, version, outcome, input, outcomeReason, uploads), User.ToActor(), cancellationToken);
        return await AfterAsync(id, result, cancellationToken);
    }

    public async Task<IActionResult> OnPostActionAsync(Guid id, int version, string action, string? reason, Guid? newOwner, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        PostedForm = "action:" + action;
        KeepPosted();
        return await AfterAsync(id, await applyCaseAction.HandleAsync(new ApplyCaseAction.Request(id, version, action, reason, newOwner), User.ToActor(), cancellationToken), cancellationToken);
    }

    /// <summary>The contact persons of the case's companies a note may be marked with ("contains personal data of").</summary>
    public IReadOnlyList<TIBS.Cases.Core.PersonalData.ContactOfCompany> NoteMarkerChoices { get; private set; } = [];

    public async Task<IActionResult> OnPostNoteAsync(Guid id, string? body, List<Guid>? personalDataOf, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        PostedForm = "note";
        KeepPosted();
        return await AfterAsync(id, await addNote.HandleAsync(new AddNote.Request(id, body, personalDataOf), User.ToActor(), cancellationToken), cancellationToken);
    }

    public async Task<IActionResult> OnPostAttachmentAsync(Guid id, int version, IFormFile? file, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        PostedForm = "attachment";
        if (CaseClosure.Refusal(Details.Case, Me) is { } closed)
        {
            return await AfterAsync(id, closed, cancellationToken);
        }

        if (!CanWrite)
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            FieldErrors["file"] = t["Choose a file to attach."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await addAttachment.HandleAsync(new AddAttachment.Request(id, version, Uploaded(file, null)), User.ToActor(), cancellationToken);
        return await AfterAsync(id, result, cancellationToken);
    }

    public async Task<IActionResult> OnPostCheckInAsync(Guid id, int version, string checkIn, int occurrence, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        PostedForm = string.Create(CultureInfo.InvariantCulture, $"check-in:{checkIn}:{occurrence}");
        KeepPosted();
        var fields = Details.Case.CurrentStep is { } stepKey ? Details.Plan.CheckInsFor(stepKey).FirstOrDefault(c => c.Key == checkIn)?.Fields ?? [] : [];
        var pairs = CultureNumbers.ToInvariant(
            Request.Form.Where(f => f.Key is not ("__RequestVerificationToken" or "version" or "checkIn" or "occurrence"))
                .SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string?>(f.Key, v))),
            fields,
            FieldErrors,
            t);
        if (FieldErrors.Count > 0)
        {
            return NumbersRefused();
        }

        var input = FormInput.FromPairs(pairs);
        return await AfterAsync(id, await recordCheckIn.HandleAsync(new RecordCheckIn.Request(id, version, checkIn, occurrence, input), User.ToActor(), cancellationToken), cancellationToken);
    }

    /// <summary>A number typed in a way the user's language does not write numbers: the form again, with what was typed.</summary>
    private PageResult NumbersRefused()
    {
        ErrorMessage = t["Nothing was saved: correct the numbers marked below."];
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>Downloads an attachment — always as a download, never rendered inline.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(Guid id, Guid attachmentId, CancellationToken cancellationToken)
    {
        var download = await openAttachment.HandleAsync(new OpenAttachment.Request(id, attachmentId), User.ToActor(), cancellationToken);
        if (download is null)
        {
            return NotFound();
        }

        if (download.Content is null)
        {
            return new ContentResult { StatusCode = StatusCodes.Status410Gone, ContentType = "text/plain; charset=utf-8", Content = download.RemovedInWords };
        }

        Response.Headers["X-Content-Type-Options"] = "nosniff";
        return File(download.Content, "application/octet-stream", download.Attachment.FileName);
    }

    public string ValueOf(string key, IReadOnlyDictionary<string, FieldValue>? saved, string? form)
    {
        if (TypedFor(form) is { } typed && typed.TryGetValue(key, out var values))
        {
            return values.FirstOrDefault() ?? "";
        }

        return saved is not null && saved.TryGetValue(key, out var v) ? CultureNumbers.Text(v) : "";
    }

    public IReadOnlyList<string> ValuesOf(string key, IReadOnlyDictionary<string, FieldValue>? saved, string? form)
    {
        if (TypedFor(form) is { } typed && typed.TryGetValue(key, out var values))
        {
            return [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        }

        return saved is not null && saved.TryGetValue(key, out var v) ? [.. v.ToText().Split(',', StringSplitOptions.RemoveEmptyEntries)] : [];
    }

    public string UserName(Guid? id) => id is { } u && UserNames.TryGetValue(u, out var name) ? name : id is null ? t["System"] : t["Unknown user"];

    public string StepName(string? key) => key is not null && Details.Plan.TryGetStep(key, out var s) ? s.Name
        : key is not null && Details.Plan.TryGetEndState(key, out var e) ? e.Name : key ?? "";

    private async Task<IActionResult> AfterAsync(Guid id, CaseCommandResult result, CancellationToken cancellationToken)
    {
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return RedirectToPage(new { id });
            case CaseCommandStatus.NotFound:
                return NotFound();
            case CaseCommandStatus.Forbidden:
                return Forbid();
        }

        // Show the case as it is now, with the user's input kept.
        await LoadAsync(id, cancellationToken);
        foreach (var e in result.FieldErrors)
        {
            FieldErrors.TryAdd(e.Field, e.Message);
        }

        UnmetShown = [.. result.Unmet.Select(u => new UnmetConditionView(u.Condition, u.Reason))];
        ErrorMessage = result.Message;
        if (result.Status == CaseCommandStatus.Conflict)
        {
            await ExplainConflictAsync(cancellationToken);
        }

        Response.StatusCode = result.Status == CaseCommandStatus.Conflict ? StatusCodes.Status409Conflict
            : result.FileProblem is { } file ? AttachmentStatus.Of(file)
            : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(new GetCase.Request(id), cancellationToken);

    private async Task<bool> LoadAsync(GetCase.Request request, CancellationToken cancellationToken)
    {
        Me = User.ToActor();
        var view = await getCase.HandleAsync(request, Me, cancellationToken);
        if (view is null)
        {
            return false;
        }

        Timeline = view.Timeline;
        EarlierEvents = view.EarlierEvents;
        EarlierBefore = view.EarlierBefore;
        LaterEvents = view.LaterEvents;

        Details = view.Details;
        NoteMarkerChoices = await addNote.MarkerChoicesAsync([.. view.Details.Participants.Select(p => p.CompanyId).Distinct()], cancellationToken);
        Audit = view.Audit;
        Now = view.Now;
        CanWrite = view.CanWrite;
        MyRoles = view.Roles;
        MayCompleteStep = view.MayCompleteStep;
        Actions = view.Actions;
        UserNames = view.UserNames;
        Brokers = view.Brokers;
        S3Areas = [.. view.S3Areas.Select(c => (c.Value, c.Label))];
        NaceSections = [.. view.NaceSections.Select(c => (c.Value, c.Label))];
        Regions = [.. view.Regions.Select(c => (c.Value, c.Label))];
        Diagram = WorkflowDiagram.Mermaid(Details.Plan, Details.Plan.Contains(Details.Case.CurrentStep) ? Details.Case.CurrentStep : null);
        await LoadDraftsAsync(cancellationToken);
        await LoadTracksAsync(cancellationToken);
        return true;
    }

    private void KeepPosted()
    {
        foreach (var (key, values) in Request.Form.Where(f => !ControlFields.Contains(f.Key)))
        {
            Posted[key] = [.. values.Where(v => v is not null).Select(v => v!)];
        }
    }

    private static UploadedFile Uploaded(IFormFile file, string? fieldKey) => new(fieldKey, file.FileName, file.Length, file.OpenReadStream);
}

