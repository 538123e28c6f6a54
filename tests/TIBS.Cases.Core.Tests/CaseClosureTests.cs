using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Tests;

/// <summary>The closed-case rule as Core states it, for every door.</summary>
public sealed class CaseClosureTests
{
    [Fact]
    public void Nobody_may_write_a_closed_case_and_only_the_system_may_append_to_its_trail()
    {
        var closed = new CaseRecord
        {
            Id = Guid.CreateVersion7(),
            Reference = "LV008-2026-0009",
            Title = "t",
            DefinitionVersionId = Guid.NewGuid(),
            LeadCompanyId = Guid.NewGuid(),
            RegionCode = "LV008",
            OwnerUserId = Guid.NewGuid(),
            Status = CaseStatus.Closed,
            CurrentStep = "completed",
            AuditHeadHash = AuditChain.GenesisHash,
            ClosedAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
        };
        var owner = new Actor(closed.OwnerUserId, WorkflowRole.Broker, "LV008");
        var coordinator = new Actor(Guid.NewGuid(), WorkflowRole.Coordinator, null);

        Assert.False(CaseAccess.CanWrite(owner, closed, []));
        Assert.False(CaseAccess.CanWrite(coordinator, closed, []));
        var ex = Assert.Throws<ClosedCaseException>(() => closed.Record(closed.ClosedAt!.Value, coordinator, "note-added", null, "{}"));
        Assert.Contains("closed on 2026-11-02", ex.Message, StringComparison.Ordinal);
        var (after, evt) = closed.Record(closed.ClosedAt!.Value.AddDays(1), Actor.System, "audit-anchored", null, "{}");
        Assert.Equal(1, after.AuditCount);
        Assert.Null(evt.ActorUserId);
    }
}
