namespace TIBS.Cases.Core.Cases;

/// <summary>
/// A file a user sends with a command (a step's file field, or an attachment of the case). The door only says what
/// came in; the command checks it, stores it and records it in its own transaction, or leaves nothing behind.
/// </summary>
/// <param name="FieldKey">The step's file field it was uploaded in; null for an attachment of the case.</param>
/// <param name="FileName">The name the client gave; only its base name is kept (<see cref="AttachmentNames"/>).</param>
/// <param name="Length">Its size in bytes, as the door received it.</param>
/// <param name="OpenRead">Opens its content; called once for the check of its first bytes and once to store it.</param>
public sealed record UploadedFile(string? FieldKey, string FileName, long Length, Func<Stream> OpenRead);
