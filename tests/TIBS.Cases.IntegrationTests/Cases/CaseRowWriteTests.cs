using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// A write that knows the case row as it was read sets only the columns that changed; the row then reads back exactly
/// as written, the columns left out keep their values, and a stale "as read" row never narrows the update.
/// </summary>
public abstract class CaseRowWriteTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Changed_columns_are_written_and_the_rest_keep_their_values()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var read = await env.OpenCaseAsync();
        var searchBefore = await SearchTextAsync(read.Id);
        Assert.False(string.IsNullOrEmpty(searchBefore));
        var now = CaseEnvironment.Start.AddHours(1);
        var changed = read with
        {
            Version = read.Version + 1,
            UpdatedAt = now,
            Status = CaseStatus.OnHold,
            HoldStartedAt = now,
            StepDueAt = now.AddDays(3),
            Data = """{"steps":{"intake":{}}}""",
        };

        await env.Cases.CommitAsync(new CaseWrite { Case = changed, Before = read, ExpectedVersion = read.Version });

        Assert.Equal(changed, await env.Cases.GetAsync(read.Id));
        Assert.Equal(searchBefore, await SearchTextAsync(read.Id)); // the title did not change, nor its search text
    }

    [SkippableFact]
    public async Task A_new_title_gets_its_search_text_and_a_stale_row_as_read_writes_every_column()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var read = await env.OpenCaseAsync();
        var renamed = read with { Version = read.Version + 1, Title = "Ölkännchen pilot with Kaunas", UpdatedAt = CaseEnvironment.Start.AddHours(1) };

        await env.Cases.CommitAsync(new CaseWrite { Case = renamed, Before = read, ExpectedVersion = read.Version });

        Assert.Equal(renamed, await env.Cases.GetAsync(read.Id));
        Assert.Contains("olkannchen pilot with kaunas", await SearchTextAsync(read.Id) ?? "", StringComparison.Ordinal);

        // "As read" at another version than the one expected: not trusted to say what changed, so every column is set.
        var owner = await env.Cases.GetAsync(read.Id);
        var moved = owner! with { Version = owner.Version + 1, Title = "Second title", CurrentStep = "first-contact", UpdatedAt = CaseEnvironment.Start.AddHours(2) };
        await env.Cases.CommitAsync(new CaseWrite { Case = moved, Before = moved with { Version = 99 }, ExpectedVersion = owner.Version });

        Assert.Equal(moved, await env.Cases.GetAsync(read.Id));
        Assert.Contains("second title", await SearchTextAsync(read.Id) ?? "", StringComparison.Ordinal);
    }

    private async Task<string?> SearchTextAsync(Guid caseId)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<string?>("SELECT search_text FROM cases WHERE id = @caseId", new { caseId });
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseRowWriteTests(SqliteFixture fixture) : CaseRowWriteTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseRowWriteTests(PostgresFixture fixture) : CaseRowWriteTests(fixture);
