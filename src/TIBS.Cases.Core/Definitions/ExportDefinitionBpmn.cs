using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Bpmn;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// A version of a definition as BPMN 2.0 XML with its diagram (for BPMN viewers). A draft with problems has no export:
/// its problems are to be fixed first.
/// </summary>
public sealed class ExportDefinitionBpmn(IWorkflowStore store)
{
    public sealed record Request(string Key, int Number);

    /// <summary>Done: <see cref="Xml"/> and its <see cref="FileName"/>. InvalidForm: the draft has problems (<see cref="Message"/>).</summary>
    public sealed record Result(CaseCommandStatus Status, string Message = "")
    {
        public string Xml { get; init; } = "";

        public string FileName { get; init; } = "";
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: false, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status, refused.Message);
        }

        if (request.Number < 1 || await store.GetVersionAsync(definition.DefinitionKey, request.Number, cancellationToken) is not { } version)
        {
            return new Result(CaseCommandStatus.NotFound, Localized.Format("There is no version {0} of “{1}”.", request.Number, definition.Name));
        }

        var check = WorkflowDefinitions.Check(version.Content, cancellationToken: cancellationToken);
        if (!check.IsValid)
        {
            return new Result(CaseCommandStatus.InvalidForm, Localized.Format("Version {0} has {1} problem(s); fix them before exporting it as BPMN.", version.Number, check.Errors.Count));
        }

        return new Result(CaseCommandStatus.Done)
        {
            Xml = BpmnExport.ToXml(check.Document!),
            FileName = string.Create(CultureInfo.InvariantCulture, $"{definition.DefinitionKey}-v{version.Number}.bpmn"),
        };
    }
}
