using System.Globalization;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Training;

/// <summary>
/// Records that a broker completed a module: the date (not in the future), the trainer, the certificate file (a PDF
/// or an image, checked by the attachment rules and stored in the attachment storage under the broker's id) and the
/// expiry (date + the module's validity). In one transaction: the completion, its expiry reminders (60 and 14 days
/// before, to the broker and the region's coordinators), the cancellation of the pending reminders of the broker's
/// earlier completions of the module, and the administration log line. If that transaction writes nothing, the
/// stored certificate is removed again.
/// </summary>
public sealed class RecordTrainingCompletion(ITrainingStore store, IUserStore users, IAttachmentStorage storage, AttachmentOptions attachments, TimeProvider time)
{
    public const int MaxTrainerLength = 200;

    /// <summary>Certificates are PDFs or images.</summary>
    public static IReadOnlyList<string> CertificateExtensions { get; } = [".pdf", ".png", ".jpg", ".jpeg"];

    /// <summary>The days before expiry a reminder is sent.</summary>
    public static IReadOnlyList<int> ReminderDays { get; } = [60, 14];

    /// <param name="CompletedOn">The date typed (yyyy-mm-dd).</param>
    public sealed record Request(Guid BrokerId, Guid? ModuleId, string? CompletedOn, string? Trainer, UploadedFile? Certificate);

    public async Task<TrainingResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!TrainingAccess.CanManage(actor))
        {
            return TrainingResult.Forbidden;
        }

        var broker = await users.FindByIdAsync(request.BrokerId, cancellationToken);
        if (broker is null || broker.Role != Roles.Broker)
        {
            return new TrainingResult(TrainingStatus.NotFound, Localized.Text("The broker does not exist."));
        }

        var now = time.UtcNow();
        var errors = new List<FieldError>();
        var module = request.ModuleId is { } moduleId ? await store.GetModuleAsync(moduleId, cancellationToken) : null;
        if (module is null)
        {
            errors.Add(new("module", Localized.Text("Choose the training module.")));
        }
        else if (!module.IsActive)
        {
            errors.Add(new("module", Localized.Format("'{0}' is archived; completions are recorded for active modules only.", module.Title)));
        }

        DateTimeOffset? completedOn = null;
        if (string.IsNullOrWhiteSpace(request.CompletedOn))
        {
            errors.Add(new("completedOn", Localized.Text("Give the date the training was completed.")));
        }
        else if (!DateOnly.TryParseExact(request.CompletedOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            // A long value is not repeated back: the field shows what was typed.
            var typed = request.CompletedOn.Trim();
            errors.Add(new("completedOn", typed.Length <= 40
                ? Localized.Format("The completion date '{0}' is not a date (yyyy-mm-dd).", typed)
                : Localized.Text("The completion date you typed is not a date (yyyy-mm-dd).")));
        }
        else if (date > DateOnly.FromDateTime(now.UtcDateTime))
        {
            errors.Add(new("completedOn", Localized.Format("The completion date {0} is in the future; record training once it is completed.", Display.MessageDates.Short(date))));
        }
        else
        {
            completedOn = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        var trainer = request.Trainer?.Trim() ?? "";
        if (trainer.Length == 0)
        {
            errors.Add(new("trainer", Localized.Text("Name the trainer.")));
        }
        else if (TextRules.Problem(Localized.Text("The trainer"), trainer, MaxTrainerLength) is { } trainerProblem)
        {
            errors.Add(new("trainer", trainerProblem));
        }

        var file = request.Certificate is { Length: > 0 } given ? given : null;
        if (file is not null && AttachmentPolicy.Problem(file, CertificateRules(attachments)) is { } problem)
        {
            errors.Add(new("certificate", problem.Kind == AttachmentProblemKind.WrongType && !CertificateExtensions.Contains(Path.GetExtension(problem.FileName).ToLowerInvariant(), StringComparer.Ordinal)
                ? Localized.Format("{0}: a certificate is a PDF or an image (.pdf, .png, .jpg).", problem.FileName)
                : problem.Message));
        }

        if (errors.Count > 0 || module is null || completedOn is not { } completed)
        {
            return TrainingResult.Invalid(errors);
        }

        var id = Guid.CreateVersion7(now);
        var completion = new TrainingCompletion
        {
            Id = id,
            UserId = broker.Id,
            ModuleId = module.Id,
            CompletedOn = completed,
            ExpiresOn = module.ValidityMonths is { } months ? completed.AddMonths(months) : null,
            Trainer = trainer,
            RecordedBy = actor.AuditId,
            RecordedAt = now,
        };

        // A completion older than one already recorded replaces nothing: it gets no reminders and cancels none.
        var earlier = (await store.ListCompletionsAsync(broker.Id, cancellationToken)).Where(c => c.ModuleId == module.Id).ToList();
        var newest = earlier.TrueForAll(c => c.CompletedOn <= completed);
        var reminders = newest && completion.ExpiresOn is { } expires
            ? ReminderDays.Select(days => (days, due: expires.AddDays(-days))).Where(r => r.due > now).Select(r => Reminder(completion, module, r.days, r.due, now)).ToList()
            : [];
        var details = $"Recorded for {broker.DisplayName}: '{module.Title}' completed {CertificationRule.Day(completed)} with {trainer}, "
            + (completion.ExpiresOn is { } e ? $"valid until {CertificationRule.Day(e)}" : "never expires")
            + (file is null ? ", no certificate." : $", certificate {AttachmentNames.BaseName(file.FileName)}.");

        string? storedKey = null;
        var done = false;
        try
        {
            if (file is not null)
            {
                await using var content = file.OpenRead();
                var (key, size, sha) = await storage.SaveAsync(broker.Id, id, content, cancellationToken);
                storedKey = key;
                var name = AttachmentNames.BaseName(file.FileName);
                completion = completion with
                {
                    CertificateFileName = name,
                    CertificateContentType = AttachmentTypes.ContentTypeOf(name),
                    CertificateSize = size,
                    CertificateSha256 = sha,
                    CertificateStorageKey = key,
                };
            }

            await store.RecordCompletionAsync(completion, newest ? reminders : [], SaveTrainingModule.Log(now, actor, TrainingActions.CompletionRecorded, details, broker.Id), cancellationToken);
            done = true;
        }
        finally
        {
            if (!done && storedKey is not null)
            {
                // Not cancellable: the request may be gone, the file must go too.
                await storage.DeleteAsync(storedKey, CancellationToken.None);
            }
        }

        return new TrainingResult(TrainingStatus.Done, completion.ExpiresOn is { } until
            ? Localized.Format("'{0}' recorded for {1}, valid until {2}.", module.Title, broker.DisplayName, Display.MessageDates.Short(until))
            : Localized.Format("'{0}' recorded for {1}, never expires.", module.Title, broker.DisplayName))
        { Id = id };
    }

    internal static AttachmentOptions CertificateRules(AttachmentOptions options) => new()
    {
        MaxBytes = options.MaxBytes,
        AllowedExtensions = [.. CertificateExtensions],
    };

    private static ReminderRecord Reminder(TrainingCompletion completion, TrainingModule module, int days, DateTimeOffset due, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        CaseId = null,
        StepKey = TrainingReminders.StepKey,
        NoticeKey = $"training-expiry-{days}:{completion.Id:N}",
        Kind = TrainingReminders.Kind,
        RecipientRole = "broker",
        DueAt = due,
        Status = ReminderStatus.Pending,
        Description = module.Title,
        CreatedAt = now,
        SubjectKind = ReminderSubjects.Training,
        SubjectId = completion.Id,
    };
}

/// <summary>The reminders of a training's expiry.</summary>
internal static class TrainingReminders
{
    public const string Kind = "training-expiry";
    public const string StepKey = "training";
}
