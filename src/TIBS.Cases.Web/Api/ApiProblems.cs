using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// Every error of the API is an RFC 9457 problem details document (<c>application/problem+json</c>) with a title and
/// a detail in words; field errors come as <c>errors: { "field": ["message"] }</c>, keyed as the pages key them.
/// </summary>
internal static class ApiProblems
{
    public static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Authentication needed",
        403 => "Not allowed",
        404 => "Not found",
        405 => "Method not allowed",
        406 => "Not acceptable",
        409 => "Conflict",
        412 => "Precondition failed",
        413 => "Too large",
        415 => "Unsupported media type",
        422 => "Unprocessable content",
        428 => "Precondition required",
        429 => "Too many requests",
        >= 500 => "Server error",
        _ => "Request refused",
    };

    public static string DefaultDetail(int status) => status switch
    {
        401 => AccessTokenAuthentication.HowToAuthenticate,
        403 => "Your role or your token does not allow this.",
        404 => "There is nothing at this address, or it is not shared with you.",
        405 => "This address does not accept this method.",
        415 => "This address does not take this kind of content: send JSON (application/json), or multipart/form-data where a file is sent, as the API reference at /scalar describes.",
        429 => "Too many requests in a short time. Wait as long as Retry-After says and try again.",
        >= 500 => "The request could not be completed. Try again; if it keeps failing, tell the administrator the trace id.",
        _ => "The request could not be accepted.",
    };

    public static ProblemHttpResult Problem(int status, string? detail = null) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = Title(status), Detail = detail ?? DefaultDetail(status) });

    public static ProblemHttpResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, $"{what} was not found, or it is not shared with you.");

    /// <summary>422 with the problems of the request, one list of messages per field.</summary>
    public static ProblemHttpResult Fields(IEnumerable<FieldError> errors, string detail = "The request has errors; see 'errors'. Nothing was saved.") =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors
            .GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = Title(StatusCodes.Status422UnprocessableEntity),
            Detail = detail,
        });

    /// <summary>Writes a problem straight to the response (middleware, authentication), unless it has started.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string? detail = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        var headers = response.Headers.Where(h => h.Key is "WWW-Authenticate" or "Retry-After").ToList();
        response.Clear();
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        response.Headers.CacheControl = "no-store";
        var problem = new ProblemDetails { Status = status, Title = Title(status), Detail = detail ?? DefaultDetail(status) };
        if (status >= 500)
        {
            problem.Extensions["traceId"] = context.TraceIdentifier;
        }

        try
        {
            await TypedResults.Problem(problem).ExecuteAsync(context);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client has gone.
        }
    }
}
