using TIBS.Cases.Core;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>Definitions and versions: start-up import, drafts and publishing, pinning of running cases.</summary>
public abstract class WorkflowVersionTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = "joint-smart-strategy";

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string ShippedYaml(int version) =>
        File.ReadAllText(Path.Combine(CaseEnvironment.RepositoryRoot(), "workflows", Key, $"v{version}.yaml"));

    [SkippableFact]
    public async Task Importing_the_same_files_twice_changes_nothing_and_the_highest_version_is_published()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var folder = CaseEnvironment.DefinitionsFolder(1, 2);

        var first = await env.Catalog.ImportFolderAsync(folder);
        var second = await env.Catalog.ImportFolderAsync(folder);

        Assert.Equal(["joint-smart-strategy/v2.yaml"], first.Imported);
        Assert.Equal(["joint-smart-strategy/v1.yaml"], first.Unchanged);
        Assert.Empty(second.Imported);
        Assert.Equal(2, second.Unchanged.Count);
        Assert.Equal(2, (await env.Workflows.GetPublishedVersionAsync(Key))!.Number);
    }

    [SkippableFact]
    public async Task A_changed_published_file_stops_the_import_with_the_file_named()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var folder = CaseEnvironment.DefinitionsFolder(1);
        var file = Path.Combine(folder, Key, "v1.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("due: P5D", "due: P7D", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<DefinitionImportException>(() => env.Catalog.ImportFolderAsync(folder));

        Assert.Contains("joint-smart-strategy/v1.yaml: differs from the published version 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("v2.yaml", ex.Message, StringComparison.Ordinal);
        var stored = await env.Workflows.GetVersionAsync(Key, 1);
        Assert.Equal(ShippedYaml(1), stored!.Content); // the published version did not change
    }

    [SkippableFact]
    public async Task Comments_and_layout_do_not_count_as_a_change()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var folder = CaseEnvironment.DefinitionsFolder(1);
        var file = Path.Combine(folder, Key, "v1.yaml");
        await File.WriteAllTextAsync(file, "# a new comment at the top\n" + await File.ReadAllTextAsync(file));

        var report = await env.Catalog.ImportFolderAsync(folder);

        Assert.Equal(["joint-smart-strategy/v1.yaml"], report.Unchanged);
    }

    [SkippableFact]
    public async Task An_invalid_file_is_reported_with_every_problem_and_its_path()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var folder = CaseEnvironment.DefinitionsFolder();
        var broken = Directory.CreateDirectory(Path.Combine(folder, "broken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(broken, "v1.yaml"), """
            key: broken
            name: Broken
            version: 1
            stages:
              - key: s
                name: S
                steps:
                  - key: a
                    name: A
                    role: wizard
                    outcomes:
                      - { key: go, label: Go, to: nowhere }
            end-states:
              - { key: done, name: Done, kind: success }
            """);

        var ex = await Assert.ThrowsAsync<DefinitionImportException>(() => env.Catalog.ImportFolderAsync(folder));

        Assert.Contains("broken/v1.yaml: stages[0].steps[0].role:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("broken/v1.yaml: stages[0].steps[0].outcomes[0].to:", ex.Message, StringComparison.Ordinal);
        Assert.Null(await env.Workflows.GetDefinitionAsync("broken"));
    }

    [SkippableFact]
    public async Task A_draft_is_published_in_one_step_and_new_cases_start_on_it_while_running_cases_stay_pinned()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var running = await env.OpenCaseAsync();
        var v1 = running.DefinitionVersionId;

        var (draft, problems) = await env.Catalog.SaveDraftAsync(Key, ShippedYaml(2), env.Coordinator.UserId, null);
        Assert.Empty(problems);
        Assert.Equal(2, draft.Number);
        Assert.Equal(VersionStatus.Draft, draft.Status);
        Assert.Equal(v1, (await env.Workflows.GetPublishedVersionAsync(Key))!.Id); // a draft changes nothing yet

        var published = await env.Catalog.PublishAsync(draft.Id, draft.RowVersion, env.Coordinator.UserId);
        var next = await env.OpenCaseAsync();

        Assert.Equal(VersionStatus.Published, published.Status);
        Assert.Equal(env.Coordinator.UserId, published.PublishedBy);
        Assert.Equal(published.Id, next.DefinitionVersionId);
        Assert.Equal(v1, (await env.Cases.GetAsync(running.Id))!.DefinitionVersionId);
        Assert.Equal(1, (await env.DetailsAsync(running.Id)).Plan.Version);
    }

    [SkippableFact]
    public async Task There_is_at_most_one_draft_and_a_stale_save_is_a_conflict()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var (draft, _) = await env.Catalog.SaveDraftAsync(Key, ShippedYaml(2), env.Coordinator.UserId, null);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => env.Catalog.SaveDraftAsync(Key, ShippedYaml(2), env.Coordinator.UserId, null));
        var saved = await env.Catalog.SaveDraftAsync(Key, ShippedYaml(2).Replace("P20D", "P21D", StringComparison.Ordinal), env.Coordinator.UserId, draft.RowVersion);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => env.Catalog.SaveDraftAsync(Key, ShippedYaml(2), env.Coordinator.UserId, draft.RowVersion));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => env.Catalog.PublishAsync(draft.Id, draft.RowVersion, env.Coordinator.UserId));

        Assert.Equal(draft.Id, saved.Draft.Id);
        Assert.Equal(draft.RowVersion + 1, saved.Draft.RowVersion);
        Assert.Single(await env.Workflows.ListVersionsAsync(Key), v => v.Status == VersionStatus.Draft);
    }

    [SkippableFact]
    public async Task An_invalid_draft_is_saved_with_its_problems_but_cannot_be_published()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var broken = ShippedYaml(2).Replace("to: first-contact", "to: first-kontact", StringComparison.Ordinal);

        var (draft, problems) = await env.Catalog.SaveDraftAsync(Key, broken, env.Coordinator.UserId, null);
        var ex = await Assert.ThrowsAsync<DefinitionInvalidException>(() => env.Catalog.PublishAsync(draft.Id, draft.RowVersion, env.Coordinator.UserId));

        Assert.Contains(problems, p => p.Path.EndsWith(".to", StringComparison.Ordinal) && p.Message.Contains("first-kontact", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, p => p.Message.Contains("first-kontact", StringComparison.Ordinal));
        Assert.Equal(1, (await env.Workflows.GetPublishedVersionAsync(Key))!.Number);
        Assert.Equal(VersionStatus.Draft, (await env.Workflows.GetVersionAsync(draft.Id))!.Status);
    }

    [SkippableFact]
    public async Task A_draft_must_carry_the_next_version_number()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);

        var (_, problems) = await env.Catalog.SaveDraftAsync(Key, ShippedYaml(2).Replace("version: 2", "version: 7", StringComparison.Ordinal), env.Coordinator.UserId, null);

        var problem = Assert.Single(problems);
        Assert.Equal("version", problem.Path);
        Assert.Contains("must be 2", problem.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_file_whose_key_or_version_differs_from_its_folder_and_name_stops_the_import()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var folder = CaseEnvironment.DefinitionsFolder(1);
        await File.WriteAllTextAsync(Path.Combine(folder, Key, "v3.yaml"), ShippedYaml(2).Replace($"key: {Key}", "key: other-strategy", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<DefinitionImportException>(() => env.Catalog.ImportFolderAsync(folder));

        Assert.Contains("v3.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"The key is 'other-strategy', but the file is in the folder '{Key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The version is 2, but the file name says 3", ex.Message, StringComparison.Ordinal);
        Assert.Null(await env.Workflows.GetVersionAsync(Key, 3));
    }

    [SkippableFact]
    public async Task A_draft_check_that_runs_out_of_its_time_budget_is_reported_as_a_problem()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var catalog = new WorkflowCatalog(env.Workflows, env.Time) { CheckBudget = TimeSpan.Zero };

        var (draft, problems) = await catalog.SaveDraftAsync(Key, ShippedYaml(2), env.Coordinator.UserId, null);

        Assert.Equal(WorkflowCatalog.CheckTookTooLong, Assert.Single(problems).Message);
        var ex = await Assert.ThrowsAsync<DefinitionInvalidException>(() => catalog.PublishAsync(draft.Id, draft.RowVersion, env.Coordinator.UserId));
        Assert.Equal(WorkflowCatalog.CheckTookTooLong, Assert.Single(ex.Errors).Message);
        Assert.Empty((await env.Catalog.CheckDraftAsync(Key, 2, ShippedYaml(2))).Errors);
    }

    [SkippableFact]
    public async Task A_draft_larger_than_the_limit_is_not_saved()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var huge = ShippedYaml(2) + "# " + new string('x', TIBS.Cases.Workflows.Yaml.WorkflowYamlLoader.MaxBytes) + "\n";

        var ex = await Assert.ThrowsAsync<DefinitionInvalidException>(() => env.Catalog.SaveDraftAsync(Key, huge, env.Coordinator.UserId, null));

        Assert.Contains("larger than 512 KB", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
        Assert.Null(await env.Workflows.GetVersionAsync(Key, 2));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteWorkflowVersionTests(SqliteFixture fixture) : WorkflowVersionTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkflowVersionTests(PostgresFixture fixture) : WorkflowVersionTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerWorkflowVersionTests(SqlServerFixture fixture) : WorkflowVersionTests(fixture);
