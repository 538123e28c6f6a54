using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Web.Infrastructure.RequestSafety;

/// <summary>
/// Marks a page (or, as endpoint metadata, an API endpoint) that accepts file uploads: its requests may be as large as
/// the attachment settings allow, or as <see cref="MaxBodyBytes"/> when it is set (an import file has its own limit).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class AcceptsUploadsAttribute : Attribute
{
    /// <summary>The largest request body; 0 for the attachments' limit (<see cref="RequestLimits.MaxUploadBodyBytes"/>).</summary>
    public long MaxBodyBytes { get; init; }
}

/// <summary>The size limits of requests: small for forms, larger where files may be uploaded.</summary>
internal sealed class RequestLimits
{
    /// <summary>A request body without files (every form but the upload forms).</summary>
    public const long MaxFormBodyBytes = 2 * 1024 * 1024;

    /// <summary>One form value: the largest is a workflow definition pasted into the draft editor.</summary>
    public const int MaxValueLength = 1024 * 1024;

    /// <summary>A form field's name: the longest real one is a table cell such as <c>partners[12].country</c>.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>Fields in one form (a step with a table of partners has a few hundred).</summary>
    public const int MaxValueCount = 2000;

    /// <summary>Files in one upload request.</summary>
    public const int MaxFilesPerRequest = 10;

    /// <summary>The body of an upload request: the files at their largest plus the form around them.</summary>
    public static long MaxUploadBodyBytes(AttachmentOptions attachments) => (attachments.MaxBytes * MaxFilesPerRequest) + MaxFormBodyBytes;
}

/// <summary>
/// The one place where every request's text is checked before a page, the job dashboard or a store sees it: the
/// path, the query and the form (names, values and file names) may hold no control character (other than tab, CR,
/// LF) and no broken character; a form is read with the limits of its endpoint; a body that cannot be read as the form
/// it claims to be, and the errors that a malformed request raises further down (antiforgery, model binding), are
/// answered with a 4xx and a plain message, never a 500.
/// </summary>
internal sealed class RequestGuard(RequestDelegate next, IOptions<AttachmentOptions> attachments)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (Refusal(context) is { } refusal)
        {
            await ErrorResponses.WriteAsync(context, refusal.Status, refusal.Message);
            return;
        }

        if (context.Request.HasFormContentType && await ReadFormAsync(context) is { } formRefusal)
        {
            await ErrorResponses.WriteAsync(context, formRefusal.Status, formRefusal.Message);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (ClientError(ex) is { } error && !context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, error.Status, error.Message);
        }
    }

    /// <summary>The 4xx for an exception that a malformed request causes, or null for a real server error.</summary>
    public static (int Status, string Message)? ClientError(Exception ex) => ex switch
    {
        BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge => (413, "What was sent is too large for this page."),
        BadHttpRequestException b when b.StatusCode == StatusCodes.Status400BadRequest && BindingErrors.Describe(b) is { } binding => (400, binding.Message),
        BadHttpRequestException b => (b.StatusCode is >= 400 and < 500 ? b.StatusCode : 400, "The request could not be read: it was cut short or is malformed."),
        InvalidDataException => (400, "The form could not be read: it is malformed or has too many or too long fields."),
        AntiforgeryValidationException => (400, "The form has expired or did not come from this site. Reload the page and try again."),
        ValueProviderException => (400, "The form could not be read: it is malformed."),
        _ when ex.InnerException is { } inner => ClientError(inner),
        _ => null,
    };

    private static (int Status, string Message)? Refusal(HttpContext context)
    {
        var request = context.Request;
        if (TextRules.ForbiddenCharacter(request.Path.Value) is { } inPath)
        {
            return (400, $"The address contains {inPath}; it cannot be used.");
        }

        foreach (var (key, values) in request.Query)
        {
            if (Forbidden(key, values) is { } inQuery)
            {
                return (400, $"The address contains {inQuery}; it cannot be used.");
            }
        }

        return null;
    }

    private async Task<(int Status, string Message)?> ReadFormAsync(HttpContext context)
    {
        var accepts = context.GetEndpoint()?.Metadata.GetMetadata<AcceptsUploadsAttribute>();
        var maxBody = accepts switch
        {
            null => RequestLimits.MaxFormBodyBytes,
            { MaxBodyBytes: > 0 } => accepts.MaxBodyBytes,
            _ => RequestLimits.MaxUploadBodyBytes(attachments.Value),
        };
        if (context.Request.ContentLength > maxBody)
        {
            return (413, accepts switch
            {
                null => "What was sent is too large for this form.",
                { MaxBodyBytes: > 0 } => $"What was sent is too large: at most {accepts.MaxBodyBytes / 1024 / 1024} MB.",
                _ => $"What was sent is too large: at most {RequestLimits.MaxFilesPerRequest} files of {attachments.Value.MaxBytes / 1024 / 1024} MB each.",
            });
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBody;
        }

        context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions
        {
            ValueLengthLimit = RequestLimits.MaxValueLength,
            KeyLengthLimit = RequestLimits.MaxKeyLength,
            ValueCountLimit = RequestLimits.MaxValueCount,
            MultipartBodyLengthLimit = maxBody,
            MultipartHeadersLengthLimit = 16 * 1024,
        }));

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ClientError(ex) is { } error)
        {
            return error;
        }
        catch (IOException)
        {
            return (400, "The form could not be read: it was cut short.");
        }

        foreach (var (key, values) in form)
        {
            if (Forbidden(key, values) is { } inForm)
            {
                return (400, $"The form contains {inForm}; remove it and send the form again.");
            }
        }

        if (form.Files.Count > RequestLimits.MaxFilesPerRequest)
        {
            return (413, $"At most {RequestLimits.MaxFilesPerRequest} files can be sent at once.");
        }

        foreach (var file in form.Files)
        {
            if (TextRules.ForbiddenCharacter(file.FileName) is { } inName)
            {
                return (400, $"A file name contains {inName}; rename the file and send it again.");
            }
        }

        return null;
    }

    private static string? Forbidden(string key, Microsoft.Extensions.Primitives.StringValues values)
    {
        if (TextRules.ForbiddenCharacter(key) is { } inKey)
        {
            return inKey + " in a field name";
        }

        foreach (var value in values)
        {
            if (TextRules.ForbiddenCharacter(value) is { } inValue)
            {
                return inValue;
            }
        }

        return null;
    }
}
