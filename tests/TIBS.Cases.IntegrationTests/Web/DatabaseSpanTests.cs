using System.Data;
using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Definitions;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The embedded SQLite database has no instrumentation of its own: while something listens to the source
/// <c>TIBS.Cases</c>, each command is a span under the request that ran it, with the database attributes and never the
/// statement or its values; while nothing listens, the connection factory hands out the plain SQLite connection.
/// </summary>
[Collection(TelemetryListenerCollection.Name)]
public sealed class DatabaseSpanTests
{
    private const string Liga = "broker.lv008@tibs.example";

    private static readonly string[] DatabaseTags = ["db.system", "db.system.name", "db.operation.name"];

    [Fact]
    public async Task Completing_a_step_on_sqlite_runs_its_commands_as_spans_under_the_request_with_the_operation_and_no_values()
    {
        using var spans = new SpanRecorder("TIBS.Cases", "Microsoft.AspNetCore");
        using var factory = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
        var liga = (await factory.Services.GetRequiredService<IUserStore>().FindByEmailAsync(Liga))!;
        Guid lead;
        await using (var c = await factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            lead = await c.ExecuteScalarAsync<Guid>("SELECT id FROM companies WHERE name = 'Vidzeme Wood Solutions'");
        }

        var cases = new CaseCommands(factory.Services);
        var opened = await cases.OpenCaseAsync(lead, null, new Actor(liga.Id, WorkflowRole.Broker, "LV008"));
        var details = (await cases.GetDetailsAsync(opened.Case!.Id))!;
        var input = FormFiller.Fill(details.CurrentStep!.Fields, lead, new Dictionary<string, string>()).Strings.ToDictionary(p => p.Key, p => p.Value.ToArray());
        var client = await factory.SignedInAsync(Liga);
        var page = await client.GetDocumentAsync($"/cases/{opened.Case.Id}");
        var outcome = page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!;
        spans.Stopped.Clear();

        var done = await PostAsync(client, page, "#step-form", input, ("outcome", outcome));

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        // The post, then the page it redirects to: the post's request is the first.
        var request = spans.Stopped.Where(a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server).MinBy(a => a.StartTimeUtc)!;
        var commands = spans.Stopped.Where(a => a.Source.Name == "TIBS.Cases" && a.TraceId == request.TraceId).ToList();
        Assert.NotEmpty(commands);
        Assert.All(commands, a =>
        {
            Assert.Equal(request.SpanId, a.ParentSpanId);
            Assert.Equal(ActivityKind.Client, a.Kind);
            Assert.Equal("sqlite", a.GetTagItem("db.system"));
            Assert.Equal(a.DisplayName, a.GetTagItem("db.operation.name"));
            Assert.All(a.TagObjects, t => Assert.Contains(t.Key, DatabaseTags));
        });
        var operations = commands.Select(a => a.DisplayName).ToHashSet();
        Assert.Contains("SELECT", operations);
        Assert.Contains("INSERT", operations);
        Assert.Contains("UPDATE", operations);
        Assert.All(operations, o => Assert.Matches("^[A-Z]+$", o));
    }

    [Fact]
    public async Task While_nothing_listens_the_factory_hands_out_the_plain_sqlite_connection_and_a_traced_one_still_writes_under_the_write_lock()
    {
        var factory = new ConnectionFactory(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Path.GetTempPath(), "tibs-tests", $"spans_{Guid.NewGuid():N}.db")}");

        await using (var plain = await factory.OpenAsync())
        {
            Assert.IsType<SqliteConnection>(plain);
        }

        using (var spans = new SpanRecorder("TIBS.Cases"))
        {
            await using var traced = await factory.OpenAsync();
            Assert.IsNotType<SqliteConnection>(traced);
            await traced.ExecuteAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
            await using (var tx = await traced.BeginWriteAsync())
            {
                Assert.Equal(IsolationLevel.Serializable, tx.IsolationLevel);
                await traced.ExecuteAsync("INSERT INTO notes (body) VALUES (@body)", new { body = "Liga Ozola, 2 Brivibas iela" }, tx);
                await tx.CommitAsync();
            }

            Assert.Equal("Liga Ozola, 2 Brivibas iela", await traced.QuerySingleAsync<string>("/* the note */ SELECT body FROM notes"));
            Assert.Equal(["CREATE", "INSERT", "SELECT"], spans.Stopped.Select(a => a.DisplayName).ToArray());
            Assert.All(spans.Stopped, a => Assert.All(a.TagObjects, t => Assert.DoesNotContain("Liga", t.Value?.ToString() ?? "", StringComparison.Ordinal)));
        }

        await using var again = await factory.OpenAsync();
        Assert.IsType<SqliteConnection>(again);
    }
}
