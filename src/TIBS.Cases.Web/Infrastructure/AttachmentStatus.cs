using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// How the web's doors say a refused upload (the rules are Core's <see cref="AttachmentPolicy"/>): 400 for an empty
/// file, 413 for a file over the size limit, 415 for a type that may not be attached or content that does not fit it.
/// </summary>
internal static class AttachmentStatus
{
    public static int Of(AttachmentProblemKind kind) => kind switch
    {
        AttachmentProblemKind.Empty => StatusCodes.Status400BadRequest,
        AttachmentProblemKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status415UnsupportedMediaType,
    };
}
