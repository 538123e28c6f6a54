using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>Finds the repository's <c>workflows/</c> folder and compiles the shipped definitions once.</summary>
internal static class TestFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TIBS.Cases.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TIBS.Cases.sln not found above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<WorkflowPlan> V1Plan = new(() => WorkflowDefinitions.Compile(ReadWorkflow("joint-smart-strategy/v1.yaml")));
    private static readonly Lazy<WorkflowPlan> V2Plan = new(() => WorkflowDefinitions.Compile(ReadWorkflow("joint-smart-strategy/v2.yaml")));
    private static readonly Lazy<WorkflowPlan> V3Plan = new(() => WorkflowDefinitions.Compile(ReadWorkflow("joint-smart-strategy/v3.yaml")));
    private static readonly Lazy<WorkflowPlan> V4Plan = new(() => WorkflowDefinitions.Compile(ReadWorkflow("joint-smart-strategy/v4.yaml")));

    public static string WorkflowsFolder => Path.Combine(Root.Value, "workflows");

    public static string ReadWorkflow(string relativePath) => File.ReadAllText(Path.Combine(WorkflowsFolder, relativePath));

    public static WorkflowPlan V1 => V1Plan.Value;

    public static WorkflowPlan V2 => V2Plan.Value;

    public static WorkflowPlan V3 => V3Plan.Value;

    public static WorkflowPlan V4 => V4Plan.Value;
}
