using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.IntegrationTests.Audits;

/// <summary>
/// The case environment with the shipped audit definition imported as well, completed strategies made by
/// withdrawing them, the audit handlers, and the reminder machinery delivering inline.
/// </summary>
internal sealed class AuditEnvironment
{
    private AuditEnvironment(CaseEnvironment env)
    {
        Env = env;
        Reminders = new ReminderStore(env.Fixture.Factory);
        Notifications = new NotificationStore(env.Fixture.Factory);
        Delivery = new ReminderDelivery(Reminders, env.Cases, env.Users, env.Catalog, env.Time);
    }

    public CaseEnvironment Env { get; }
    public ReminderStore Reminders { get; }
    public NotificationStore Notifications { get; }
    public ReminderDelivery Delivery { get; }

    public StartAudit Start => Env.Service.Handler<StartAudit>();
    public DrawAuditSample Sample => Env.Service.Handler<DrawAuditSample>();
    public RecordFinding Record => Env.Service.Handler<RecordFinding>();
    public AnswerFinding Answer => Env.Service.Handler<AnswerFinding>();
    public AuditsOfCase Panel => Env.Service.Handler<AuditsOfCase>();
    public AuditHome Home => Env.Service.Handler<AuditHome>();

    public static async Task<AuditEnvironment> CreateAsync(DatabaseFixture fixture)
    {
        var env = await CaseEnvironment.CreateAsync(fixture, 3);
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "audit-workflows-" + Guid.NewGuid().ToString("N"));
        var target = Directory.CreateDirectory(Path.Combine(folder, AuditDefinition.Key)).FullName;
        File.Copy(Path.Combine(CaseEnvironment.RepositoryRoot(), "workflows", AuditDefinition.Key, "v1.yaml"), Path.Combine(target, "v1.yaml"));
        await env.Catalog.ImportFolderAsync(folder);
        return new AuditEnvironment(env);
    }

    /// <summary>A strategy of the Latvian lead company, ended (withdrawn by its broker) at the current fake time.</summary>
    public async Task<CaseRecord> CompletedStrategyAsync()
    {
        var opened = await Env.OpenCaseAsync();
        var closed = await Env.Service.ApplyCaseActionAsync(opened.Id, opened.Version, "withdraw", "The company stopped its plans.", Env.LatvianBroker);
        Assert.True(closed.Succeeded, closed.Message);
        Assert.True(closed.Case!.IsClosed);
        return closed.Case;
    }

    /// <summary>Completes the audit's current step with the given form values and outcome.</summary>
    public async Task<CaseCommandResult> CompleteAsync(Guid auditId, string outcome, Actor actor, params (string Key, string Value)[] values)
    {
        var details = await Env.DetailsAsync(auditId);
        var input = FormInput.FromStrings(values.ToDictionary(v => v.Key, v => (string?)v.Value));
        return await Env.Service.CompleteStepAsync(auditId, details.Case.Version, outcome, input, actor);
    }

    /// <summary>Hands every reminder due now to delivery, inline.</summary>
    public Task<int> DispatchAsync() => new ReminderDispatcher(Reminders, Env.Time).DispatchAsync(new InlineQueue(Delivery), "test");

    public async Task<IReadOnlyList<NotificationRecord>> InboxAsync(Actor user) => await Notifications.ListForUserAsync(user.UserId, false, 1000);

    private sealed class InlineQueue(ReminderDelivery delivery) : IReminderQueue
    {
        public Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default) => delivery.DeliverAsync(reminderId, cancellationToken);
    }
}
