using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// What completing a step sends: the JSON body (<see cref="CompleteStepBody"/>), or, when the step has file fields to
/// fill, multipart/form-data with the parts <c>outcome</c>, <c>reason</c> and <c>values</c> (the same JSON object of
/// values as in the JSON body) and each file in a part named by its file field's key (several parts for several
/// files). The files are judged by the command itself (<see cref="AttachmentPolicy"/>, in Core), as on the case page.
/// </summary>
internal static class CompleteStepInput
{
    public sealed record Read(string? Outcome, string? Reason, FormInput Input, IReadOnlyList<UploadedFile> Files);

    public static async Task<(Read? Read, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request, cancellationToken);
        }

        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType,
                "Send the step's outcome and values as application/json, or as multipart/form-data when files go with them."));
        }

        CompleteStepBody? body;
        try
        {
            body = await request.ReadFromJsonAsync<CompleteStepBody>(cancellationToken);
        }
        catch (JsonException)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "The body is not readable JSON: send an object with 'outcome', 'values' and, when asked for, 'reason'."));
        }

        return Values(body?.Outcome, body?.Reason, body?.Values, []);
    }

    private static async Task<(Read?, ProblemHttpResult?)> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        Dictionary<string, JsonElement>? values = null;
        if (form["values"].ToString() is { Length: > 0 } json)
        {
            try
            {
                values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json);
            }
            catch (JsonException)
            {
                return (null, ApiProblems.Fields([new("values", "The part 'values' must be a JSON object of the step's values by field key, as in the JSON body.")]));
            }
        }

        var files = form.Files.Select(file => new UploadedFile(file.Name, file.FileName, file.Length, file.OpenReadStream)).ToList();

        return Values(form["outcome"].ToString(), form["reason"].ToString() is { Length: > 0 } reason ? reason : null, values, files);
    }

    private static (Read?, ProblemHttpResult?) Values(string? outcome, string? reason, Dictionary<string, JsonElement>? values, IReadOnlyList<UploadedFile> files)
    {
        var (input, errors) = JsonFormValues.Read(values);
        return errors.Count > 0 ? (null, ApiProblems.Fields(errors)) : (new Read(outcome, reason, input, files), null);
    }
}
