namespace TIBS.Cases.Core;

/// <summary>
/// Every stored instant is UTC with whole microseconds: the finest precision all three databases keep
/// (PostgreSQL's timestamptz stops at microseconds). Normalising before use keeps what is hashed, compared and
/// stored identical to what is read back.
/// </summary>
public static class Timestamps
{
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    public static DateTimeOffset UtcNow(this TimeProvider time) => Normalize(time.GetUtcNow());
}
