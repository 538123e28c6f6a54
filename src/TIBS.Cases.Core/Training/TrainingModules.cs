using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Training;

public enum TrainingStatus
{
    Done,
    Invalid,
    Conflict,
    NotFound,
    Forbidden,
}

/// <summary>What a training command did: on <see cref="TrainingStatus.Invalid"/> the errors name their fields and nothing was saved.</summary>
public sealed record TrainingResult(TrainingStatus Status, string Message)
{
    public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];

    public Guid? Id { get; init; }

    public bool Succeeded => Status == TrainingStatus.Done;

    public static TrainingResult Forbidden => new(TrainingStatus.Forbidden, Localized.Text("Only coordinators and administrators keep training records."));

    internal static TrainingResult Invalid(List<FieldError> errors) =>
        new(TrainingStatus.Invalid, errors.Count == 1 ? errors[0].Message : Localized.Text("Some fields need attention; nothing was saved.")) { FieldErrors = errors };
}

/// <summary>The training catalogue, for coordinators and administrators.</summary>
public sealed class ListTrainingModules(ITrainingStore store)
{
    public async Task<IReadOnlyList<TrainingModule>?> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return TrainingAccess.CanManage(actor)
            ? [.. (await store.ListModulesAsync(cancellationToken)).OrderByDescending(m => m.IsActive).ThenBy(m => m.Title, StringComparer.Ordinal)]
            : null;
    }
}

/// <summary>
/// Adds a module to the catalogue (no <see cref="Request.Id"/>) or changes one (with the version the editor read: a
/// concurrent edit is reported, never overwritten). Written with its administration log line.
/// </summary>
public sealed class SaveTrainingModule(ITrainingStore store, TimeProvider time)
{
    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 4000;

    /// <param name="ValidityMonths">The text typed: empty means the completion never expires.</param>
    public sealed record Request(Guid? Id, int ExpectedVersion, string? Title, string? Description, string? ValidityMonths, bool RequiredForCertification, bool IsActive);

    public async Task<TrainingResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!TrainingAccess.CanManage(actor))
        {
            return TrainingResult.Forbidden;
        }

        var errors = new List<FieldError>();
        var title = request.Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            errors.Add(new("title", Localized.Text("Give the module a title.")));
        }
        else if (TextRules.Problem(Localized.Text("The title"), title, MaxTitleLength) is { } titleProblem)
        {
            errors.Add(new("title", titleProblem));
        }

        var description = request.Description?.Trim() ?? "";
        if (TextRules.Problem(Localized.Text("The description"), description, MaxDescriptionLength) is { } descriptionProblem)
        {
            errors.Add(new("description", descriptionProblem));
        }

        int? validity = null;
        if (!string.IsNullOrWhiteSpace(request.ValidityMonths))
        {
            if (!int.TryParse(request.ValidityMonths.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var months) || months < 1 || months > 240)
            {
                errors.Add(new("validity", Localized.Format("The validity '{0}' is not a number of months from 1 to 240; leave it empty if the training never expires.", request.ValidityMonths.Trim())));
            }
            else
            {
                validity = months;
            }
        }

        var modules = await store.ListModulesAsync(cancellationToken);
        if (title.Length > 0 && modules.Any(m => m.Id != request.Id && string.Equals(m.Title, title, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add(new("title", Localized.Format("A module called '{0}' is already in the catalogue; choose another title.", title)));
        }

        if (errors.Count > 0)
        {
            return TrainingResult.Invalid(errors);
        }

        var now = time.UtcNow();
        if (request.Id is not { } id)
        {
            var added = new TrainingModule
            {
                Id = Guid.CreateVersion7(now),
                Title = title,
                Description = description,
                ValidityMonths = validity,
                RequiredForCertification = request.RequiredForCertification,
                IsActive = request.IsActive,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await store.AddModuleAsync(added, Log(now, actor, TrainingActions.ModuleAdded, $"Added the training module '{title}' ({Describe(added)})."), cancellationToken);
            return new TrainingResult(TrainingStatus.Done, Localized.Format("'{0}' added to the catalogue.", title)) { Id = added.Id };
        }

        var existing = modules.FirstOrDefault(m => m.Id == id);
        if (existing is null)
        {
            return new TrainingResult(TrainingStatus.NotFound, Localized.Text("The training module does not exist."));
        }

        var changed = existing with
        {
            Title = title,
            Description = description,
            ValidityMonths = validity,
            RequiredForCertification = request.RequiredForCertification,
            IsActive = request.IsActive,
            Version = request.ExpectedVersion + 1,
            UpdatedAt = now,
        };
        if (existing.Version != request.ExpectedVersion
            || !await store.UpdateModuleAsync(changed, request.ExpectedVersion, Log(now, actor, TrainingActions.ModuleChanged, $"Changed the training module '{title}' ({Describe(changed)})."), cancellationToken))
        {
            return new TrainingResult(TrainingStatus.Conflict, Localized.Format("Someone else changed '{0}' while you were editing it; nothing was saved. Your input is kept below: compare it with the module as it is now and save again.", existing.Title));
        }

        return new TrainingResult(TrainingStatus.Done, Localized.Format("'{0}' saved.", title)) { Id = id };
    }

    internal static string Describe(TrainingModule m) =>
        $"{(m.ValidityMonths is { } v ? $"valid {v} months" : "never expires")}, {(m.RequiredForCertification ? "required for certification" : "not required for certification")}, {(m.IsActive ? "active" : "archived")}";

    internal static AdministrationLogEntry Log(DateTimeOffset now, Actor actor, string action, string details, Guid? subject = null) => new()
    {
        Id = Guid.CreateVersion7(now),
        OccurredAt = now,
        ActorId = actor.AuditId,
        Action = action,
        SubjectUserId = subject,
        Details = details,
    };
}
