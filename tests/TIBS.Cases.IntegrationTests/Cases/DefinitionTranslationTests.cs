using System.Globalization;
using System.Text;
using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Translations of published versions in the database: imported from the sidecars beside the shipped files, replaced by
/// a coordinator's upload (with its administration log line), shown in the reader's language, never part of the hash.
/// </summary>
public abstract class DefinitionTranslationTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = "joint-smart-strategy";
    private static readonly CultureInfo Latvian = CultureInfo.GetCultureInfo("lv-LV");

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Shipped(string file) => Path.Combine(CaseEnvironment.RepositoryRoot(), "workflows", Key, file);

    /// <summary>A folder with joint-smart-strategy v2 and its shipped sidecars.</summary>
    private static string FolderWithSidecars()
    {
        var folder = CaseEnvironment.DefinitionsFolder(2);
        foreach (var sidecar in Directory.EnumerateFiles(Path.GetDirectoryName(Shipped("v2.yaml"))!, "v2.*.yaml"))
        {
            File.Copy(sidecar, Path.Combine(folder, Key, Path.GetFileName(sidecar)));
        }

        return folder;
    }

    private async Task<(CaseEnvironment Env, DefinitionTranslationStore Store, WorkflowCatalog Catalog)> ArrangeAsync(string folder)
    {
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var store = new DefinitionTranslationStore(fixture.Factory);
        var catalog = new WorkflowCatalog(env.Workflows, env.Time, store);
        await catalog.ImportFolderAsync(folder);
        return (env, store, catalog);
    }

    [SkippableFact]
    public async Task The_import_stores_every_language_and_the_display_plan_is_latvian_where_the_command_plan_stays_english()
    {
        fixture.EnsureAvailable();
        var (env, store, catalog) = await ArrangeAsync(FolderWithSidecars());
        var version = (await env.Workflows.GetVersionAsync(Key, 2))!;

        var rows = await store.ListAsync(version.Id);
        var latvian = await catalog.GetDisplayPlanAsync(version.Id, Latvian);
        var german = await catalog.GetDisplayPlanAsync(version.Id, CultureInfo.GetCultureInfo("de-DE"));
        var english = await catalog.GetDisplayPlanAsync(version.Id, CultureInfo.GetCultureInfo("en-GB"));

        Assert.Equal(["da", "de", "et", "fi", "lt", "lv", "pl", "sv"], rows.Select(r => r.Language));
        Assert.All(rows, r => Assert.Null(r.UpdatedBy));
        Assert.Equal(await File.ReadAllTextAsync(Shipped("v2.lv.yaml")), rows.Single(r => r.Language == "lv").Content);
        Assert.Equal("Pieņemšana", latvian.GetStep("intake").Name);
        Assert.Equal("Aufnahme", german.GetStep("intake").Name);
        Assert.Equal("Intake", english.GetStep("intake").Name);
        Assert.Equal("Intake", (await catalog.GetPlanAsync(version.Id)).GetStep("intake").Name);
    }

    [SkippableFact]
    public async Task A_changed_sidecar_is_imported_again_without_a_new_version_and_a_coordinators_upload_is_kept()
    {
        fixture.EnsureAvailable();
        var folder = FolderWithSidecars();
        var (env, store, catalog) = await ArrangeAsync(folder);
        var version = (await env.Workflows.GetVersionAsync(Key, 2))!;
        var latvianFile = Path.Combine(folder, Key, "v2.lv.yaml");
        var germanFile = Path.Combine(folder, Key, "v2.de.yaml");
        await File.WriteAllTextAsync(latvianFile, (await File.ReadAllTextAsync(latvianFile)).Replace("\"Pieņemšana\"", "\"Pieteikuma pieņemšana\"", StringComparison.Ordinal));
        var german = await store.GetAsync(version.Id, "de");
        await store.SaveAsync(version.Id, "de", (await File.ReadAllTextAsync(germanFile)).Replace("\"Aufnahme\"", "\"Erfassung\"", StringComparison.Ordinal),
            env.Coordinator.UserId, german!.RowVersion, env.Time.GetUtcNow(), null);

        var report = await catalog.ImportFolderAsync(folder);

        Assert.Equal(["joint-smart-strategy/v2.yaml"], report.Unchanged);
        Assert.Equal(version.ContentHash, (await env.Workflows.GetVersionAsync(Key, 2))!.ContentHash);
        Assert.Contains("\"Pieteikuma pieņemšana\"", (await store.GetAsync(version.Id, "lv"))!.Content, StringComparison.Ordinal);
        Assert.Equal("Pieteikuma pieņemšana", (await catalog.GetDisplayPlanAsync(version.Id, Latvian)).GetStep("intake").Name);
        Assert.Equal("Erfassung", (await catalog.GetDisplayPlanAsync(version.Id, CultureInfo.GetCultureInfo("de"))).GetStep("intake").Name);
    }

    [SkippableFact]
    public async Task A_coordinator_uploads_a_translation_in_one_transaction_with_its_log_line_and_a_stale_upload_is_a_conflict()
    {
        fixture.EnsureAvailable();
        var (env, store, catalog) = await ArrangeAsync(CaseEnvironment.DefinitionsFolder(2));
        var save = new SaveDefinitionTranslation(env.Workflows, store, catalog, env.Time);
        var version = (await env.Workflows.GetVersionAsync(Key, 2))!;
        var text = (await File.ReadAllTextAsync(Shipped("v2.lv.yaml"))).Replace("    # Intake\n    name: \"Pieņemšana\"\n", "", StringComparison.Ordinal);
        Assert.Equal("Intake", (await catalog.GetDisplayPlanAsync(version.Id, Latvian)).GetStep("intake").Name); // read before: no translation

        var saved = await save.HandleAsync(new SaveDefinitionTranslation.Request(Key, 2, "lv", Encoding.UTF8.GetBytes(text), null), env.Coordinator);
        var stale = await save.HandleAsync(new SaveDefinitionTranslation.Request(Key, 2, "lv", Encoding.UTF8.GetBytes(text), null), env.Coordinator);

        Assert.Equal(CaseCommandStatus.Done, saved.Status);
        Assert.Equal("The Latvian translation of version 2 is saved: 295 of 296 texts translated (99%).", saved.Message);
        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        var row = (await store.GetAsync(version.Id, "lv"))!;
        Assert.Equal(1, row.RowVersion);
        Assert.Equal(env.Coordinator.UserId, row.UpdatedBy);
        var plan = await catalog.GetDisplayPlanAsync(version.Id, Latvian);
        Assert.Equal("Intake", plan.GetStep("intake").Name); // the one text left out stays English
        Assert.Equal("Pirmais kontakts", plan.GetStep("first-contact").Name);
        await using var c = await fixture.Factory.OpenAsync();
        var log = await c.QuerySingleAsync<string>("SELECT details FROM administration_log WHERE action = 'definition-translation-saved'");
        Assert.Equal("Saved the Latvian translation of SME Joint Smart Strategy version 2: 295 of 296 texts translated.", log);
    }

    [SkippableFact]
    public async Task A_broken_upload_is_refused_with_its_line_and_nothing_is_saved()
    {
        fixture.EnsureAvailable();
        var (env, store, catalog) = await ArrangeAsync(CaseEnvironment.DefinitionsFolder(2));
        var save = new SaveDefinitionTranslation(env.Workflows, store, catalog, env.Time);
        var broken = "name: \"Stratēģija\"\nsteps:\n  intake:\n    name: \"Pieņemšana\n";
        var unknown = "steps:\n  intake:\n    name: \"Pieņemšana\"\n  no-such-step:\n    name: \"Nav\"\n";

        var refused = await save.HandleAsync(new SaveDefinitionTranslation.Request(Key, 2, "lv", Encoding.UTF8.GetBytes(broken), null), env.Coordinator);
        var latin1 = await save.HandleAsync(new SaveDefinitionTranslation.Request(Key, 2, "lv", [.. "name: \"Caf"u8.ToArray(), 0xE9, (byte)'"'], null), env.Coordinator);
        var broker = await save.HandleAsync(new SaveDefinitionTranslation.Request(Key, 2, "lv", Encoding.UTF8.GetBytes(unknown), null), env.LatvianBroker);
        var withUnknown = await save.HandleAsync(new SaveDefinitionTranslation.Request(Key, 2, "lv", Encoding.UTF8.GetBytes(unknown), null), env.Coordinator);

        Assert.Equal(CaseCommandStatus.InvalidForm, refused.Status);
        Assert.Equal("The Latvian translation was not saved: the file has 1 problem.", refused.Message);
        Assert.Contains("malformed", Assert.Single(refused.Problems).Message, StringComparison.Ordinal);
        Assert.NotNull(refused.Problems[0].Position);
        Assert.Equal(CaseCommandStatus.InvalidForm, latin1.Status);
        Assert.Contains("line 1 is not UTF-8", latin1.Message, StringComparison.Ordinal);
        Assert.Equal(CaseCommandStatus.Forbidden, broker.Status);
        Assert.Equal(CaseCommandStatus.Done, withUnknown.Status);
        var warning = Assert.Single(withUnknown.Warnings);
        Assert.Equal("steps.no-such-step.name", warning.Path);
        Assert.Equal(5, warning.Position!.Value.Line);
        Assert.Equal(unknown, (await store.GetAsync((await env.Workflows.GetVersionAsync(Key, 2))!.Id, "lv"))!.Content);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteDefinitionTranslationTests(SqliteFixture fixture) : DefinitionTranslationTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresDefinitionTranslationTests(PostgresFixture fixture) : DefinitionTranslationTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerDefinitionTranslationTests(SqlServerFixture fixture) : DefinitionTranslationTests(fixture);
