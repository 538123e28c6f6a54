using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Tests;

/// <summary>Accounts and definitions speak of roles with one vocabulary: every kind of user is a role of the workflow.</summary>
public sealed class RoleVocabularyTests
{
    [Fact]
    public void Every_kind_of_user_is_a_workflow_role_under_the_same_stored_name()
    {
        foreach (var name in Roles.All)
        {
            Assert.True(WorkflowNames.TryParseRole(name, out var role), $"'{name}' is no workflow role.");
            Assert.Equal(name, role.ToName());
        }

        Assert.Equal(["administrator", "broker", "coordinator", "evaluator"], Roles.All.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_actor_carries_the_typed_role_of_its_account_and_an_unknown_stored_role_is_named_as_the_fault()
    {
        var account = new UserAccount { Id = Guid.CreateVersion7(), Email = "a@test.example", DisplayName = "A", Role = "coordinator", PasswordHash = "x", SecurityStamp = "s" };

        Assert.Equal(WorkflowRole.Coordinator, account.AsActor().Role);
        Assert.Equal("coordinator", Roles.Name(account.AsActor().Role));
        Assert.False(Roles.IsKnown(RoleNames.PartnerBroker)); // a broker is a partner's broker on a case, never as an account
        Assert.False(Roles.IsKnown("Broker"));
        var ex = Assert.Throws<ArgumentException>(() => (account with { Role = "auditor" }).AsActor());
        Assert.StartsWith("'auditor' is not the role of a user; it is one of: broker, coordinator, evaluator, administrator.", ex.Message, StringComparison.Ordinal);
    }
}
