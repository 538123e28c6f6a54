namespace TIBS.Cases.Core.Audit;

/// <summary>
/// The anchor history as the files hold it now, kept between reads (decision 0068). The files only grow, a line a
/// minute while cases move, so each read takes only the lines appended since the last one and extends the history it
/// holds (<see cref="AnchorHistory.Extend"/>): what a checkpoint costs to read is paid once per process, not once per
/// checkpoint on every later read. When the files were changed other than by appending, every line is read again.
/// One read at a time: callers that find the files changed while another reads wait for its history.
/// </summary>
public sealed class AnchorHistorySource(IAnchorLog log, AuditKeyRing keys)
{
    private readonly Lock gate = new();
    private volatile Snapshot? current;

    public IAnchorLog Log => log;

    public AuditKeyRing Keys => keys;

    /// <summary>The history of the files as they are now: the one held when they did not change, or it extended by what was appended.</summary>
    public AnchorHistory Current()
    {
        var fingerprint = log.Fingerprint();
        if (current is { } held && held.Fingerprint == fingerprint)
        {
            return held.History;
        }

        lock (gate)
        {
            if (current is { } fresh && fresh.Fingerprint == fingerprint)
            {
                return fresh.History;
            }

            var read = log.ReadAfter(current?.Position);
            var history = read.FromStart || current is null
                ? AnchorHistory.Read(read.Lines, keys)
                : current.History.Extend(read.Lines, keys);
            current = new Snapshot(fingerprint, read.Position, history);
            return history;
        }
    }

    /// <summary>
    /// Every line read again from the start of the files, for the verification of the whole audit evidence: it does
    /// not rely on the files before the held position being unchanged. The history read is then the one held.
    /// </summary>
    public AnchorHistory ReadAgain()
    {
        lock (gate)
        {
            var fingerprint = log.Fingerprint();
            var read = log.ReadAfter(null);
            var history = AnchorHistory.Read(read.Lines, keys);
            current = new Snapshot(fingerprint, read.Position, history);
            return history;
        }
    }

    private sealed record Snapshot(string Fingerprint, AnchorPosition Position, AnchorHistory History);
}
