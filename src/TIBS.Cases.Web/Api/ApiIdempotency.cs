using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using TIBS.Cases.Core.Requests;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// <c>Idempotency-Key</c> on the API's POSTs: the first request with a key is run and its answer recorded; a retry with
/// the same key and the same request gets that answer again (with <c>Idempotent-Replayed: true</c>) and changes
/// nothing; the same key with a different request is refused with 422, and while the first is still running with 409.
/// Answers of server errors and of refusals that a retry may not get (429) are not kept, so such a retry runs again.
/// </summary>
internal sealed class ApiIdempotency(RequestDelegate next, IdempotentRequests requests)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private static readonly string[] KeptHeaders = ["ETag", "Location"];

    public async Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || key.Length == 0
            || !Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            await next(context);
            return;
        }

        if (key.Length > IdempotentRequests.MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"The Idempotency-Key header must be 1 to {IdempotentRequests.MaxKeyLength} visible ASCII characters, such as a UUID.");
            return;
        }

        var (decision, entry) = await requests.BeginAsync(userId, key, await FingerprintAsync(context.Request), context.RequestAborted);
        switch (decision)
        {
            case IdempotencyDecision.Mismatch:
                await ApiProblems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity,
                    "This Idempotency-Key was used for a different request. Use a new key for a new request.");
                return;
            case IdempotencyDecision.InProgress:
                await ApiProblems.WriteAsync(context, StatusCodes.Status409Conflict,
                    "The first request with this Idempotency-Key is still being processed. Retry in a moment.");
                return;
            case IdempotencyDecision.Replay:
                await ReplayAsync(context, entry!);
                return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await requests.AbandonAsync(userId, key, CancellationToken.None);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        var status = context.Response.StatusCode;
        if (status is >= 500 or StatusCodes.Status429TooManyRequests or StatusCodes.Status401Unauthorized)
        {
            await requests.AbandonAsync(userId, key, CancellationToken.None);
        }
        else
        {
            var headers = string.Join('\n', KeptHeaders.Where(h => context.Response.Headers.ContainsKey(h)).Select(h => $"{h}: {context.Response.Headers[h]}"));
            await requests.CompleteAsync(userId, key, status, context.Response.ContentType, buffer.ToArray(), headers, CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyEntry entry)
    {
        var response = context.Response;
        response.StatusCode = entry.StatusCode!.Value;
        response.ContentType = entry.ContentType;
        response.Headers[ReplayedHeader] = "true";
        foreach (var line in (entry.ResponseHeaders ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            response.Headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        if (entry.Body is { Length: > 0 } body)
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>SHA-256 of what was sent: method, path and query, content type and body (the form's fields and files when it is a form).</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n{request.ContentType}\n"));
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            foreach (var (name, values) in form.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"{name}={string.Join('\u001f', values.ToArray())}\n"));
            }

            foreach (var file in form.Files)
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"{file.Name};{file.FileName};{file.Length}\n"));
                await using var content = file.OpenReadStream();
                hash.AppendData(await SHA256.HashDataAsync(content, request.HttpContext.RequestAborted));
            }
        }
        else
        {
            request.EnableBuffering();
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            request.Body.Position = 0;
            hash.AppendData(body.ToArray());
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
