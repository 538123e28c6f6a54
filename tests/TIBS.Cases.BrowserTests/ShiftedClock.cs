namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The clock of the application under test: real time moved forward by <see cref="Shift"/>, so that a test can let
/// months pass (a check-in's window opening) while everything else keeps ticking. Moving it forward outlives the
/// session of whoever is signed in (sessions last 12 hours), so sign in again afterwards.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long shiftTicks;

    public TimeSpan Shift => TimeSpan.FromTicks(Interlocked.Read(ref shiftTicks));

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Shift;

    /// <summary>Moves the clock forward by calendar months (three months from 31 January is 30 April).</summary>
    public void AdvanceMonths(int months)
    {
        var now = GetUtcNow();
        Advance(now.AddMonths(months) - now);
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(by.Ticks);
        Interlocked.Add(ref shiftTicks, by.Ticks);
    }
}
