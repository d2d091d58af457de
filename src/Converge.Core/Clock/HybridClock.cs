namespace Converge.Core.Clock;

/// <summary>
/// A hybrid logical clock over a <see cref="TimeProvider"/>: every stamp it issues is strictly greater than
/// every stamp it issued or observed before, whatever the wall clock does.
/// </summary>
/// <remarks>Thread-safe. Persist <see cref="Save"/> (or the stamps themselves) and pass it back on restart to stay monotonic.</remarks>
internal sealed class HybridClock
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _last;
    private long _offsetTicks;

    /// <summary>Creates a clock for a node, optionally restoring saved state.</summary>
    public HybridClock(TimeProvider time, NodeId node, HybridClockState state = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        Node = node;
        _last = state.LastNanoseconds;
        _offsetTicks = state.OffsetTicks;
    }

    /// <summary>The node whose stamps this clock issues.</summary>
    public NodeId Node { get; }

    /// <summary>The correction added to the local wall clock, learned from a server.</summary>
    public TimeSpan Offset
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromTicks(_offsetTicks);
            }
        }
    }

    /// <summary>The corrected wall clock: the local time plus <see cref="Offset"/>.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return CorrectedNow();
            }
        }
    }

    /// <summary>Issues a stamp strictly greater than every stamp issued or observed so far.</summary>
    public HybridTimestamp Next()
    {
        lock (_gate)
        {
            var wall = HybridTimestamp.ToNanoseconds(CorrectedNow());
            _last = Math.Max(wall, checked(_last + 1));
            return new HybridTimestamp(_last, Node);
        }
    }

    /// <summary>Takes in a stamp seen from another node, so later stamps of this clock order after it.</summary>
    public void Observe(HybridTimestamp remote)
    {
        lock (_gate)
        {
            _last = Math.Max(_last, remote.Nanoseconds);
        }
    }

    /// <summary>Checks how far a stamp is ahead of this clock's corrected wall clock.</summary>
    public DriftCheck CheckDrift(HybridTimestamp stamp, TimeSpan allowed)
    {
        if (allowed < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(allowed), allowed, "The allowed drift cannot be negative.");
        }

        var ahead = stamp.Physical - Now;
        return new DriftCheck(ahead <= allowed, ahead, allowed);
    }

    /// <summary>
    /// Learns the offset of a server's clock from a reply. The server read its clock somewhere inside the round trip,
    /// so its offset lies between <c>serverTime - receivedAt</c> and <c>serverTime - sentAt</c>. An offset already in
    /// that window is kept (a slow round trip says nothing new, and stamps do not jitter with network noise);
    /// otherwise the clock takes the window's midpoint.
    /// </summary>
    /// <param name="serverTime">The time the server reported.</param>
    /// <param name="sentAt">The local (uncorrected) time the request was sent.</param>
    /// <param name="receivedAt">The local (uncorrected) time the reply arrived; when it is before <paramref name="sentAt"/> (the wall clock stepped back), nothing is learned.</param>
    public void LearnServerTime(DateTimeOffset serverTime, DateTimeOffset sentAt, DateTimeOffset receivedAt)
    {
        if (receivedAt < sentAt)
        {
            // The local wall clock stepped back during the exchange: the round trip says nothing reliable.
            return;
        }

        var lowest = (serverTime - receivedAt).Ticks;
        var highest = (serverTime - sentAt).Ticks;
        lock (_gate)
        {
            if (_offsetTicks < lowest || _offsetTicks > highest)
            {
                _offsetTicks = lowest + ((highest - lowest) / 2);
            }
        }
    }

    /// <summary>
    /// Moves the clock back to <paramref name="floor"/> or the corrected wall clock, whichever is later,
    /// after stamps were found to be too far ahead of the server.
    /// </summary>
    /// <remarks>
    /// Only for re-stamping actions no server has accepted: stamps issued after a rewind can be lower than
    /// earlier ones, so <paramref name="floor"/> must be at least every stamp of this node that may be in a log.
    /// </remarks>
    public void Rewind(HybridTimestamp floor)
    {
        lock (_gate)
        {
            _last = Math.Max(floor.Nanoseconds, HybridTimestamp.ToNanoseconds(CorrectedNow()) - 1);
        }
    }

    /// <summary>The state to persist so a restarted clock stays monotonic.</summary>
    public HybridClockState Save()
    {
        lock (_gate)
        {
            return new HybridClockState(_last, _offsetTicks);
        }
    }

    private DateTimeOffset CorrectedNow() => _time.GetUtcNow().AddTicks(_offsetTicks);
}
