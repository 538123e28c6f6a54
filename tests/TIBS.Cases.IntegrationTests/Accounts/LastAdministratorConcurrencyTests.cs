using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// Two administrators, each taking the other out at the same instant, many times over: exactly one wins and the other
/// is refused in words, on each database; there is always an active administrator left.
/// </summary>
public abstract class LastAdministratorConcurrencyTests(DatabaseFixture fixture)
{
    private const int Rounds = 12;

    private async Task<(TibsWebFactory Factory, Actor First, Actor Second)> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture);
        var users = factory.Services.GetRequiredService<IUserStore>();
        var first = await users.FindByEmailAsync("admin@tibs.example") ?? throw new InvalidOperationException("No demo administrator.");
        var second = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = "second.admin@tibs.example",
            DisplayName = "Second Administrator",
            Role = Roles.Administrator,
            PasswordHash = first.PasswordHash,
            SecurityStamp = "stamp",
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await users.InsertAsync(second);
        return (factory, new Actor(first.Id, WorkflowRole.Administrator, null), new Actor(second.Id, WorkflowRole.Administrator, null));
    }

    private async Task BothActiveAdministratorsAsync(Actor first, Actor second)
    {
        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync("UPDATE users SET is_active = @yes, role = @role WHERE id IN (@a, @b)",
            new { yes = true, role = Roles.Administrator, a = first.UserId, b = second.UserId });
    }

    private async Task<int> ActiveAdministratorsAsync()
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users WHERE role = @role AND is_active = @yes AND password_hash <> ''", new { role = Roles.Administrator, yes = true });
    }

    [SkippableFact]
    public async Task Two_administrators_deactivating_each_other_at_once_leave_one_and_the_other_is_refused_in_words()
    {
        var (factory, first, second) = await StartAsync();
        using var _ = factory;
        var deactivate = factory.Services.GetRequiredService<DeactivateUser>();

        for (var round = 0; round < Rounds; round++)
        {
            await BothActiveAdministratorsAsync(first, second);
            using var start = new Barrier(2);
            var results = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); return deactivate.HandleAsync(new DeactivateUser.Request(second.UserId), first); }),
                Task.Run(() => { start.SignalAndWait(); return deactivate.HandleAsync(new DeactivateUser.Request(first.UserId), second); }));

            Assert.Single(results, r => r.Succeeded);
            var refused = Assert.Single(results, r => !r.Succeeded);
            Assert.Equal(CaseCommandStatus.Refused, refused.Status);
            Assert.Matches("^(System|Second) Administrator is the last active administrator and cannot be deactivated: make another user an administrator first\\.$", refused.Message);
            Assert.Equal(1, await ActiveAdministratorsAsync());
        }
    }

    [SkippableFact]
    public async Task A_demotion_and_a_deactivation_at_once_leave_one_administrator()
    {
        var (factory, first, second) = await StartAsync();
        using var _ = factory;
        var deactivate = factory.Services.GetRequiredService<DeactivateUser>();
        var changeAccess = factory.Services.GetRequiredService<ChangeUserAccess>();

        for (var round = 0; round < Rounds; round++)
        {
            await BothActiveAdministratorsAsync(first, second);
            using var start = new Barrier(2);
            var results = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); return changeAccess.HandleAsync(new ChangeUserAccess.Request(second.UserId, Roles.Coordinator, []), first); }),
                Task.Run(() => { start.SignalAndWait(); return deactivate.HandleAsync(new DeactivateUser.Request(first.UserId), second); }));

            var refused = Assert.Single(results, r => !r.Succeeded);
            Assert.Single(results, r => r.Succeeded);
            Assert.Contains("is the last active administrator and cannot", refused.Message, StringComparison.Ordinal);
            Assert.Equal(1, await ActiveAdministratorsAsync());
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteLastAdministratorConcurrencyTests(SqliteFixture fixture) : LastAdministratorConcurrencyTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresLastAdministratorConcurrencyTests(PostgresFixture fixture) : LastAdministratorConcurrencyTests(fixture);
