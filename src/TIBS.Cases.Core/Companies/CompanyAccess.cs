using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Companies;

/// <summary>
/// Who may do what with the registry: brokers and coordinators read every company and register new ones in any
/// region (brokers register partners too); coordinators edit every company, brokers only those of their own region.
/// </summary>
public static class CompanyAccess
{
    public static bool CanRead(Actor actor) => actor.Role is WorkflowRole.Broker or WorkflowRole.Coordinator;

    public static bool CanCreate(Actor actor) => actor.Role is WorkflowRole.Broker or WorkflowRole.Coordinator;

    /// <summary>Merging duplicates changes cases of every region: coordinators only.</summary>
    public static bool CanMerge(Actor actor) => actor.Role is WorkflowRole.Coordinator;

    /// <summary>De minimis records: read by whoever reads the company and by evaluators (dossiers, exports).</summary>
    public static bool CanReadAid(Actor actor) => CanRead(actor) || actor.Role is WorkflowRole.Evaluator;

    public static bool CanEdit(Actor actor, Company company) => actor.Role switch
    {
        WorkflowRole.Coordinator => true,
        WorkflowRole.Broker => actor.Covers(company.RegionCode),
        _ => false,
    };
}
