using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Diff;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// What changed between two versions of a definition (published or the draft): the structured changes (stages, steps,
/// outcomes, fields, reminders, timers, … added, removed or changed, with values before and after) and the YAML line
/// diff. Without <see cref="Request.From"/> the published version is compared; without <see cref="Request.To"/> the
/// draft (or, without a draft, the newest version).
/// </summary>
public sealed class CompareDefinitionVersions(IWorkflowStore store)
{
    public sealed record Request(string Key, int? From = null, int? To = null);

    /// <summary>
    /// Done: both versions found. NotFound: the definition or a version (see <see cref="Message"/>) does not exist.
    /// <see cref="Changes"/> is null when a version's text does not load (a draft in the middle of an edit); the text
    /// diff still shows it.
    /// </summary>
    public sealed record Result(CaseCommandStatus Status, string Message = "")
    {
        public WorkflowDefinitionRecord? Definition { get; init; }

        /// <summary>Every version, newest first (for choosing what to compare).</summary>
        public IReadOnlyList<WorkflowVersionRecord> Versions { get; init; } = [];

        public WorkflowVersionRecord? From { get; init; }

        public WorkflowVersionRecord? To { get; init; }

        public IReadOnlyList<DefinitionChange>? Changes { get; init; }

        public IReadOnlyList<TextDiffLine> Lines { get; init; } = [];
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: false, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status, refused.Message);
        }

        var versions = (await store.ListVersionsAsync(definition.DefinitionKey, cancellationToken)).OrderByDescending(v => v.Number).ToList();
        var published = versions.FirstOrDefault(v => v.Id == definition.PublishedVersionId);
        var to = request.To is { } t ? versions.FirstOrDefault(v => v.Number == t) : versions.FirstOrDefault(v => !v.IsPublished) ?? versions.FirstOrDefault();
        var from = request.From is { } f ? versions.FirstOrDefault(v => v.Number == f)
            : published is not null && published.Id != to?.Id ? published : versions.FirstOrDefault(v => to is not null && v.Number < to.Number);
        var result = new Result(CaseCommandStatus.Done) { Definition = definition, Versions = versions };
        if (to is null || from is null)
        {
            var missing = to is null ? request.To : request.From;
            return result with
            {
                Status = CaseCommandStatus.NotFound,
                Message = missing is { } n ? Localized.Format("There is no version {0} of “{1}”.", n, definition.Name) : Localized.Format("“{0}” has only one version; there is nothing to compare it with.", definition.Name),
            };
        }

        return result with
        {
            From = from,
            To = to,
            Changes = DefinitionDiff.Compare(from.Content, to.Content),
            Lines = TextDiff.Lines(from.Content, to.Content),
        };
    }
}
