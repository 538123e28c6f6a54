using System.Text.Json.Nodes;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// The engine with the real stores of one database, assembled as the integration tests' CaseEnvironment does:
/// the shipped joint-smart-strategy v1 imported, a Latvian broker and coordinator, and a Latvian lead SME.
/// </summary>
internal sealed class BenchEnvironment
{
    public const string DefinitionKey = "joint-smart-strategy";

    private BenchEnvironment(ConnectionFactory factory)
    {
        Factory = factory;
        Workflows = new WorkflowStore(factory);
        Cases = new CaseStore(factory);
        Companies = new CompanyStore(factory);
        Users = new UserStore(factory);
        Catalog = new WorkflowCatalog(Workflows, TimeProvider.System);
    }

    public ConnectionFactory Factory { get; }
    public WorkflowStore Workflows { get; }
    public CaseStore Cases { get; }
    public CompanyStore Companies { get; }
    public UserStore Users { get; }
    public WorkflowCatalog Catalog { get; }
    public CaseCommands Service { get; private set; } = null!;
    public Actor Broker { get; private set; } = null!;
    public Actor Coordinator { get; private set; } = null!;
    public Company Lead { get; private set; } = null!;

    public static async Task<BenchEnvironment> CreateAsync(ConnectionFactory factory)
    {
        var env = new BenchEnvironment(factory);
        env.Service = await CaseCommands.CreateAsync(factory, TimeProvider.System, new FileSystemAttachmentStorage(Path.Combine(Path.GetTempPath(), "tibs-bench-attachments")));
        var folder = DefinitionsFolder();
        try
        {
            await env.Catalog.ImportFolderAsync(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var now = TimeProvider.System.GetUtcNow();
        env.Broker = await env.UserAsync("broker.lv008@bench.example", Roles.Broker, "LV008", now);
        env.Coordinator = await env.UserAsync("coordinator@bench.example", Roles.Coordinator, null, now);
        env.Lead = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "Vidzeme Wood Solutions",
            CountryCode = "LV",
            RegionCode = "LV008",
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C"],
            S3Areas = ["bioeconomy"],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await env.Companies.InsertAsync(env.Lead);
        return env;
    }

    /// <summary>Opens a case of the lead company as its broker, through the engine.</summary>
    public async Task<Guid> OpenCaseAsync()
    {
        var result = await Service.OpenCaseAsync(Lead.Id, null, Broker, DefinitionKey);
        return result.Succeeded ? result.Case!.Id : throw new InvalidOperationException("Opening a case failed: " + result.Message);
    }

    /// <summary>A temporary definitions folder holding only <c>joint-smart-strategy/v1.yaml</c> of the repository.</summary>
    private static string DefinitionsFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tibs-bench", "workflows-" + Guid.NewGuid().ToString("N"));
        var target = Directory.CreateDirectory(Path.Combine(folder, DefinitionKey)).FullName;
        File.Copy(Path.Combine(RepositoryRoot(), "workflows", DefinitionKey, "v1.yaml"), Path.Combine(target, "v1.yaml"));
        return folder;
    }

    internal static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TIBS.Cases.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("TIBS.Cases.sln not found above the benchmark's folder or the current directory.");
    }

    private async Task<Actor> UserAsync(string email, string role, string? region, DateTimeOffset now)
    {
        // A database kept from an earlier run (a seeded programme) has the account already.
        if (await Users.FindByEmailAsync(email) is { } existing)
        {
            return existing.AsActor();
        }

        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            DisplayName = email,
            Role = role,
            RegionCode = region,
            PasswordHash = "x",
            SecurityStamp = "s",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await Users.InsertAsync(user);
        return user.AsActor();
    }
}

/// <summary>A notice the next step schedules, relative to the moment it starts.</summary>
internal sealed record NoticeTemplate(string Key, string Kind, string RecipientRole, TimeSpan Offset, string Description);

/// <summary>
/// One transition of the benchmark route, prepared once per run: the outcome and the posted form for the engine, and
/// for the baseline the very payloads the engine stores for it (form JSON, event data, case data after the step) and
/// the reminders the next step schedules.
/// </summary>
internal sealed record RouteStep(
    PlanStep Step,
    PlanOutcome Outcome,
    FormInput Input,
    IReadOnlyDictionary<string, FieldValue> Values,
    string FormJson,
    string EventData,
    string CaseDataAfter,
    PlanStep Next,
    TimeSpan? NextDue,
    IReadOnlyList<NoticeTemplate> Notices)
{
    /// <summary>intake → first-contact → needs-assessment → eligibility → cooperation-profile: four transitions per case (v1).</summary>
    private static readonly string[] Targets = ["first-contact", "needs-assessment", "eligibility", "cooperation-profile"];

    /// <summary>
    /// The later versions put the internationalisation readiness between the needs assessment and the eligibility: a
    /// seeded programme (transitions --existing) opens its cases on the newest version, so the route's four
    /// transitions are intake → first-contact → needs-assessment → internationalisation-readiness → eligibility.
    /// </summary>
    private static readonly string[] TargetsWithReadiness = ["first-contact", "needs-assessment", "internationalisation-readiness", "eligibility"];

    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Overrides = new(StringComparer.Ordinal)
    {
        ["intake"] = new Dictionary<string, string>(StringComparer.Ordinal) { ["contact-data-consent"] = "yes" },
        ["eligibility"] = new Dictionary<string, string>(StringComparer.Ordinal) { ["eligible"] = "yes" },
    };

    public static async Task<IReadOnlyList<RouteStep>> BuildAsync(BenchEnvironment env)
    {
        var (_, plan) = await env.Catalog.GetPublishedAsync(BenchEnvironment.DefinitionKey);
        var reference = new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero);
        var route = new List<RouteStep>();
        var step = plan.StartStep;
        var data = "{}";
        var readiness = plan.Steps.Any(s => s.Key == "internationalisation-readiness");
        foreach (var target in readiness ? TargetsWithReadiness : Targets)
        {
            var outcome = step.Outcomes.FirstOrDefault(o => o.Target == target)
                ?? throw new InvalidOperationException($"Step {step.Key} has no outcome to {target}.");
            var input = FormFiller.Fill(step.Fields, env.Lead.Id, Overrides.GetValueOrDefault(step.Key));
            var form = FormValidator.Validate(step, input);
            if (!form.IsValid)
            {
                throw new InvalidOperationException($"The generated form of {step.Key} is invalid: " + string.Join("; ", form.Errors.Select(e => $"{e.Field}: {e.Message}")));
            }

            var formJson = FormDataJson.Serialize(form.Values);
            var eventData = new JsonObject
            {
                ["step"] = step.Key,
                ["outcome"] = outcome.Key,
                ["outcomeLabel"] = outcome.Label,
                ["to"] = target,
                ["form"] = JsonNode.Parse(formJson),
            }.ToJsonString();
            data = CaseData.With(data, step.Key, form.Values);
            var next = plan.GetStep(target);
            var notices = plan.ScheduleFor(next.Key, reference)
                .Select(n => new NoticeTemplate(n.Key, CaseSteps.NoticeKindName(n.Kind), n.To.ToName(), n.At - reference, n.Description))
                .ToList();
            route.Add(new RouteStep(step, outcome, input, form.Values, formJson, eventData, data, next, next.Due is { } due ? due.AddTo(reference) - reference : null, notices));
            step = next;
        }

        return route;
    }
}
