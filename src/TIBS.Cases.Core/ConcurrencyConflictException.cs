namespace TIBS.Cases.Core;

/// <summary>
/// Someone else changed the record since it was read: nothing was written. The user is told and keeps their input.
/// </summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException()
    {
    }

    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
