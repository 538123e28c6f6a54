using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Workflows.Diff;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Api;

/// <summary>One structured change: <c>added</c>, <c>removed</c> or <c>changed</c>, where, what, and the values before and after.</summary>
internal sealed record DefinitionChangeResponse(string Kind, string Path, string Where, string What, string? Before, string? After, string Sentence);

/// <summary>A line of the YAML diff: <c>same</c>, <c>removed</c> or <c>added</c>, with its line number in each text it is in.</summary>
internal sealed record DefinitionDiffLine(string Kind, int? OldLine, int? NewLine, string Text);

/// <summary>A version compared, with its change note (null for drafts and versions published without one).</summary>
internal sealed record DefinitionDiffVersion(int Number, string Status, string? ChangeNote);

/// <summary>
/// What changed between two versions. <see cref="Changes"/> is null when a version's text cannot be read as a definition;
/// <see cref="Lines"/> are the changed lines with three unchanged lines around each (unchanged stretches left out).
/// </summary>
internal sealed record DefinitionDiffResponse(
    string Key, DefinitionDiffVersion From, DefinitionDiffVersion To, IReadOnlyList<DefinitionChangeResponse>? Changes, IReadOnlyList<DefinitionDiffLine> Lines);

internal static class DefinitionDiffEndpoints
{
    public static void MapDefinitionDiff(this RouteGroupBuilder definitions)
    {
        definitions.MapGet("/{key}/diff", Diff).WithName("DiffDefinitionVersions")
            .WithSummary("What changed between two versions, published or draft (coordinators)")
            .WithDescription("from: the older version's number (default: the published one); to: the newer (default: the draft, else the newest). 422 when a number is not a whole number; 404 when a version does not exist.")
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        definitions.MapGet("/{key}/versions/{number:int}/bpmn", Bpmn).WithName("GetDefinitionBpmn")
            .WithSummary("One version as BPMN 2.0 XML with its diagram, for BPMN viewers (coordinators)")
            .Produces<string>(200, "application/xml").Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Bpmn(
        HttpContext context, string key, int number, ExportDefinitionBpmn handler, CancellationToken cancellationToken)
    {
        var r = await handler.HandleAsync(new ExportDefinitionBpmn.Request(key, number), context.Actor(), cancellationToken);
        return r.Status switch
        {
            CaseCommandStatus.Done => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(r.Xml), "application/xml", r.FileName),
            CaseCommandStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, DefinitionAccess.Refusal),
            CaseCommandStatus.InvalidForm => ApiProblems.Problem(StatusCodes.Status409Conflict, r.Message),
            _ => ApiProblems.NotFound($"Version {number} of the definition '{key}'"),
        };
    }

    private static async Task<Results<Ok<DefinitionDiffResponse>, ProblemHttpResult>> Diff(
        HttpContext context, string key, string? from, string? to, CompareDefinitionVersions handler, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var fromNumber = Number(from, "from", errors);
        var toNumber = Number(to, "to", errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Fields(errors, "The versions to compare are not valid; see 'errors'.");
        }

        var r = await handler.HandleAsync(new CompareDefinitionVersions.Request(key, fromNumber, toNumber), context.Actor(), cancellationToken);
        return r.Status switch
        {
            CaseCommandStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, DefinitionAccess.Refusal),
            CaseCommandStatus.Done => TypedResults.Ok(new DefinitionDiffResponse(
                r.Definition!.DefinitionKey,
                new DefinitionDiffVersion(r.From!.Number, r.From.Status, r.From.ChangeNote),
                new DefinitionDiffVersion(r.To!.Number, r.To.Status, r.To.ChangeNote),
                r.Changes?.Select(c => new DefinitionChangeResponse(c.Kind.ToString().ToLowerInvariant(), c.Path, c.Where, c.What, c.Before, c.After, c.Sentence)).ToList(),
                [.. TextDiff.WithContext(r.Lines).OfType<TextDiffLine>().Select(l => new DefinitionDiffLine(l.Kind.ToString().ToLowerInvariant(), l.OldLine, l.NewLine, l.Text))])),
            _ when r.Definition is null => ApiProblems.NotFound($"The definition '{key}'"),
            _ => ApiProblems.Problem(StatusCodes.Status404NotFound, r.Message),
        };
    }

    private static int? Number(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }

        errors.Add(new FieldError(field, $"'{field}' must be a version number such as 3; '{text}' is not."));
        return null;
    }
}
