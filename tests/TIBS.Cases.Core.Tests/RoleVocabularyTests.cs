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
}
