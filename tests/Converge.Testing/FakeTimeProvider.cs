namespace Converge.Testing;

/// <summary>A clock for tests that moves only when told to; timers fire as it passes their due time.</summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;

    public FakeTimeProvider(DateTimeOffset? start = null)
    {
        _now = start ?? new DateTimeOffset(2026, 11, 21, 6, 53, 36, TimeSpan.Zero);
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>
    /// How long from now each pending timer is due (a <c>Task.Delay</c> on this clock is one): lets a test see that a
    /// loop has reached its wait before moving the clock, instead of guessing with a real sleep.
    /// </summary>
    public IReadOnlyList<TimeSpan> PendingDelays
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers.Where(t => t.DueAt is not null).Select(t => t.DueAt!.Value - _now).Order()];
            }
        }
    }

    /// <summary>Moves the clock (forward or back) and fires every timer now due.</summary>
    public void Advance(TimeSpan by) => SetUtcNow(GetUtcNow() + by);

    /// <summary>Sets the clock and fires every timer now due.</summary>
    public void SetUtcNow(DateTimeOffset now)
    {
        List<FakeTimer> due;
        lock (_gate)
        {
            _now = now;
            due = [.. _timers.Where(t => t.DueAt is { } at && at <= now)];
        }

        foreach (var timer in due)
        {
            timer.Fire(now);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
            }

            return true;
        }

        public void Fire(DateTimeOffset now)
        {
            lock (owner._gate)
            {
                DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : now + _period;
            }

            callback(state);
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
