using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Api;

/// <summary>ETag = the version of a case or company; <c>If-Match</c> names the version a write starts from.</summary>
internal static class ApiConcurrency
{
    public static string ETag(int version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>
    /// The version named by <c>If-Match</c> (<c>"3"</c> or <c>W/"3"</c>); a 428 problem when it is required and missing,
    /// a 400 problem when it is not a version.
    /// </summary>
    public static (int? Version, ProblemHttpResult? Problem) IfMatch(HttpRequest request, bool required)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            return required
                ? (null, ApiProblems.Problem(StatusCodes.Status428PreconditionRequired,
                    "Send If-Match with the ETag you read (GET the resource first), so that nobody's change is overwritten unseen."))
                : (null, null);
        }

        var value = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        return int.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? (version, null)
            : (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "If-Match must be one ETag as the API gave it, such as \"3\"."));
    }

    /// <summary>The problem for a refused command, by its status (Done is not a problem).</summary>
    public static ProblemHttpResult Refusal(CaseCommandStatus status, string message, IReadOnlyList<FieldError> fieldErrors) => status switch
    {
        CaseCommandStatus.NotFound => ApiProblems.Problem(StatusCodes.Status404NotFound, message),
        CaseCommandStatus.InvalidForm => ApiProblems.Fields(fieldErrors, message),
        CaseCommandStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, message),
        CaseCommandStatus.Conflict => ApiProblems.Problem(StatusCodes.Status412PreconditionFailed, message),
        _ => ApiProblems.Problem(StatusCodes.Status409Conflict, message),
    };
}
