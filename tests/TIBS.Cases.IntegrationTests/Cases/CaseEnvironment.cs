using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// The engine with the real stores of one database: the shipped definitions imported, a Latvian lead SME, a German
/// and a Finnish partner, their brokers and a coordinator, and a fake clock.
/// </summary>
internal sealed class CaseEnvironment
{
    public static readonly DateTimeOffset Start = new(2026, 1, 12, 9, 0, 0, TimeSpan.Zero);

    private CaseEnvironment(DatabaseFixture fixture)
    {
        Fixture = fixture;
        Workflows = new WorkflowStore(fixture.Factory);
        Cases = new CaseStore(fixture.Factory);
        Companies = new CompanyStore(fixture.Factory);
        Users = new UserStore(fixture.Factory);
        Catalog = new WorkflowCatalog(Workflows, Time);
        Storage = new FileSystemAttachmentStorage(Path.Combine(Path.GetTempPath(), "tibs-tests", "attachments-" + Guid.NewGuid().ToString("N")));
        Migrations = new CaseMigrationService(Cases, Workflows, Catalog, Time);
    }

    public DatabaseFixture Fixture { get; }
    public FakeTimeProvider Time { get; } = new(Start);
    public WorkflowStore Workflows { get; }
    public CaseStore Cases { get; }
    public CompanyStore Companies { get; }
    public UserStore Users { get; }
    public WorkflowCatalog Catalog { get; }
    public FileSystemAttachmentStorage Storage { get; }
    public CaseCommands Service { get; private set; } = null!;
    public CaseMigrationService Migrations { get; }
    public Actor LatvianBroker { get; private set; } = null!;
    public Actor GermanBroker { get; private set; } = null!;
    public Actor Coordinator { get; private set; } = null!;
    public Actor Evaluator { get; private set; } = null!;
    public Company Lead { get; private set; } = null!;
    public Company GermanPartner { get; private set; } = null!;
    public Company LatvianNeighbour { get; private set; } = null!;

    /// <summary>A definitions folder holding the shipped versions <paramref name="versions"/> of joint-smart-strategy.</summary>
    public static string DefinitionsFolder(params int[] versions)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "workflows-" + Guid.NewGuid().ToString("N"));
        var target = Directory.CreateDirectory(Path.Combine(folder, "joint-smart-strategy")).FullName;
        foreach (var v in versions)
        {
            File.Copy(Path.Combine(RepositoryRoot(), "workflows", "joint-smart-strategy", $"v{v}.yaml"), Path.Combine(target, $"v{v}.yaml"));
        }

        return folder;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TIBS.Cases.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TIBS.Cases.sln not found.");
    }

    public static Task<CaseEnvironment> CreateAsync(DatabaseFixture fixture, params int[] versions) =>
        CreateAsync(fixture, DefinitionsFolder(versions.Length == 0 ? [1] : versions));

    /// <summary>An environment whose joint-smart-strategy v1 is <paramref name="v1Yaml"/> (a test's own variant of it).</summary>
    public static Task<CaseEnvironment> CreateWithDefinitionAsync(DatabaseFixture fixture, string v1Yaml)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "workflows-" + Guid.NewGuid().ToString("N"));
        var target = Directory.CreateDirectory(Path.Combine(folder, "joint-smart-strategy")).FullName;
        File.WriteAllText(Path.Combine(target, "v1.yaml"), v1Yaml);
        return CreateAsync(fixture, folder);
    }

    /// <summary>The environment with the definitions of <paramref name="definitionsFolder"/> (a test's own YAML).</summary>
    public static async Task<CaseEnvironment> CreateAsync(DatabaseFixture fixture, string definitionsFolder)
    {
        var env = new CaseEnvironment(fixture);
        env.Service = await CaseCommands.CreateAsync(fixture.Factory, env.Time, env.Storage);
        await env.Catalog.ImportFolderAsync(definitionsFolder);
        env.LatvianBroker = await env.UserAsync("broker.lv008@test.example", Roles.Broker, "LV008");
        env.GermanBroker = await env.UserAsync("broker.de60@test.example", Roles.Broker, "DE60");
        env.Coordinator = await env.UserAsync("coordinator@test.example", Roles.Coordinator, null);
        env.Evaluator = await env.UserAsync("evaluator@test.example", Roles.Evaluator, null);
        env.Lead = await env.CompanyAsync("Vidzeme Wood Solutions", "LV", "LV008");
        env.GermanPartner = await env.CompanyAsync("Hamburg Maritime Analytics", "DE", "DE60");
        env.LatvianNeighbour = await env.CompanyAsync("Cēsis Timber", "LV", "LV008");
        return env;
    }

    public async Task<CaseRecord> OpenCaseAsync()
    {
        var result = await Service.OpenCaseAsync(Lead.Id, null, LatvianBroker);
        Assert.True(result.Succeeded, result.Message);
        return result.Case!;
    }

    public async Task<CaseDetails> DetailsAsync(Guid caseId) => (await Service.GetDetailsAsync(caseId))!;

    /// <summary>Who acts on a step of the test case.</summary>
    public Actor ActorFor(WorkflowRole role) => role switch
    {
        WorkflowRole.Broker => LatvianBroker,
        WorkflowRole.PartnerBroker => GermanBroker,
        WorkflowRole.Coordinator => Coordinator,
        _ => Evaluator,
    };

    /// <summary>Completes the current step with a filled form and the outcome that leads to <paramref name="target"/>.</summary>
    public async Task<CaseCommandResult> CompleteTowardsAsync(Guid caseId, string target, IReadOnlyDictionary<string, string>? overrides = null, Actor? actor = null, Guid? company = null)
    {
        var details = await DetailsAsync(caseId);
        var step = details.CurrentStep ?? throw new InvalidOperationException($"The case has ended at {details.Case.CurrentStep}.");
        var outcome = step.Outcomes.FirstOrDefault(o => o.Target == target)
            ?? throw new InvalidOperationException($"Step {step.Key} has no outcome to {target}: {string.Join(", ", step.Outcomes.Select(o => o.Target))}.");
        var input = FormFiller.Fill(step.Fields, company ?? Lead.Id, overrides);
        return await Service.CompleteStepAsync(caseId, details.Case.Version, outcome.Key, input, actor ?? ActorFor(step.Role));
    }

    public async Task<CaseCommandResult> RecordCheckInAsync(Guid caseId, int occurrence)
    {
        var details = await DetailsAsync(caseId);
        var checkIn = details.Plan.CheckInsFor(details.Case.CurrentStep).Single();
        return await Service.RecordCheckInAsync(caseId, details.Case.Version, checkIn.Key, occurrence, FormFiller.Fill(checkIn.Fields, Lead.Id), ActorFor(checkIn.Role));
    }

    public async Task<Actor> UserAsync(string email, string role, string? region)
    {
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            DisplayName = email,
            Role = role,
            RegionCode = region,
            PasswordHash = "x",
            SecurityStamp = "s",
            CreatedAt = Start,
            UpdatedAt = Start,
        };
        await Users.InsertAsync(user);
        return user.AsActor();
    }

    public async Task<Company> CompanyAsync(string name, string country, string region)
    {
        var company = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            CountryCode = country,
            RegionCode = region,
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C"],
            S3Areas = ["bioeconomy"],
            CreatedAt = Start,
            UpdatedAt = Start,
        };
        await Companies.InsertAsync(company);
        return company;
    }

    public static IReadOnlyDictionary<string, string> With(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    public static PlanStep Step(CaseDetails details) => details.CurrentStep!;

    public static FormInput Empty => FormInput.Empty;
}
