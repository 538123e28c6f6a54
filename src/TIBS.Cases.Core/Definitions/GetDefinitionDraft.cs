using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// The draft editor's state of a definition: the stored draft (at most one) with its problems, or, when there is none,
/// the published version's text renumbered as the next version to start from.
/// </summary>
public sealed partial class GetDefinitionDraft(IWorkflowStore store, WorkflowCatalog catalog)
{
    public sealed record Request(string Key);

    public sealed record Result(CaseCommandStatus Status)
    {
        public WorkflowDefinitionRecord? Definition { get; init; }

        /// <summary>The draft as stored now, or null.</summary>
        public WorkflowVersionRecord? Draft { get; init; }

        /// <summary>The number the draft has (or gets): one more than the highest published.</summary>
        public int NextNumber { get; init; }

        /// <summary>The number of the version new cases start on, or null when none is published.</summary>
        public int? PublishedNumber { get; init; }

        /// <summary>The text to edit: the draft's, or the published version's with <c>version:</c> set to <see cref="NextNumber"/>.</summary>
        public string Yaml { get; init; } = "";

        /// <summary>The stored draft's problems (empty without a draft).</summary>
        public IReadOnlyList<ValidationError> Problems { get; init; } = [];

        /// <summary>The steps of <see cref="Yaml"/> for the structured editor (empty when the text does not load).</summary>
        public IReadOnlyList<StepLink> Steps { get; init; } = [];
    }

    /// <summary>A step of the text: its stage's name, its key and name.</summary>
    public sealed record StepLink(string StageName, string Key, string Name);

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: false, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status);
        }

        var versions = await store.ListVersionsAsync(definition.DefinitionKey, cancellationToken);
        var draft = versions.FirstOrDefault(v => !v.IsPublished);
        var next = versions.Where(v => v.IsPublished).Select(v => v.Number).DefaultIfEmpty(0).Max() + 1;
        var published = versions.FirstOrDefault(v => v.Id == definition.PublishedVersionId);
        var result = new Result(CaseCommandStatus.Done) { Definition = definition, Draft = draft, NextNumber = next, PublishedNumber = published?.Number };
        if (draft is not null)
        {
            var check = await catalog.CheckDraftAsync(definition.DefinitionKey, next, draft.Content, cancellationToken);
            return result with { Yaml = draft.Content, Problems = check.Errors, Steps = StepsOf(check.Document ?? WorkflowDefinitions.Load(draft.Content).Document) };
        }

        return published is null ? result : result with { Yaml = WithVersion(published.Content, next), Steps = StepsOf(WorkflowDefinitions.Load(published.Content).Document) };
    }

    private static List<StepLink> StepsOf(WorkflowDefinitionDocument? document) =>
        document is null ? [] : [.. document.Stages.SelectMany(stage => stage.Steps.Select(step => new StepLink(stage.Name, step.Key, step.Name)))];

    /// <summary>The YAML with its top-level <c>version:</c> set to <paramref name="number"/>.</summary>
    public static string WithVersion(string yaml, int number)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var line = "version: " + number.ToString(CultureInfo.InvariantCulture);
        return VersionLine().IsMatch(yaml) ? VersionLine().Replace(yaml, line, 1) : line + "\n" + yaml;
    }

    [GeneratedRegex(@"^version:[^\r\n]*", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VersionLine();
}
