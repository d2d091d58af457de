using Converge.Core.Protocol;

namespace Converge.Server.Hosting;

/// <summary>Options of the sync server. Every property has a documented default and is checked at start-up.</summary>
public sealed class ConvergeServerOptions
{
    /// <summary>The largest request body, in bytes; a larger push gets 413 <c>body_too_large</c>. Default 4 MiB.</summary>
    public int MaxRequestBodyBytes { get; set; } = ServerLimits.Default.MaxRequestBodyBytes;

    /// <summary>The most actions one push may carry; more get 400 <c>too_many_actions</c>. Default 1,000.</summary>
    public int MaxActionsPerPush { get; set; } = ServerLimits.Default.MaxActionsPerPush;

    /// <summary>The batch a pull returns when it names no limit. Default 1,000.</summary>
    public int DefaultPullLimit { get; set; } = 1000;

    /// <summary>The largest batch a pull returns; larger limits are clamped to it. Default 5,000.</summary>
    public int MaxPullLimit { get; set; } = 5000;

    /// <summary>The deepest nesting of JSON a request may have; deeper gets 400 <c>json_too_deep</c>. Default 32.</summary>
    public int MaxJsonDepth { get; set; } = ServerLimits.Default.MaxJsonDepth;

    /// <summary>The longest JSON string (or member name) a request may carry, in bytes as sent; longer gets 400 <c>string_too_long</c>. Default 256 KiB.</summary>
    public int MaxStringBytes { get; set; } = ServerLimits.Default.MaxStringBytes;

    /// <summary>The most collections a stream's schema may declare; a schema action past it is rejected with <c>schema_too_large</c>. Default 500.</summary>
    public int MaxCollections { get; set; } = ServerLimits.Default.MaxCollections;

    /// <summary>The most fields one collection may declare; a schema action past it is rejected with <c>schema_too_large</c>. Default 200.</summary>
    public int MaxFieldsPerCollection { get; set; } = ServerLimits.Default.MaxFieldsPerCollection;

    /// <summary>
    /// The most fields a stream's schema may declare in all its collections; a schema action past it is rejected with
    /// <c>schema_too_large</c>. It bounds what a server keeps of each stream's schema. Default 10,000.
    /// </summary>
    public int MaxSchemaFields { get; set; } = ServerLimits.Default.MaxSchemaFields;

    /// <summary>The most elements one set field may hold present; a write past it is rejected with <c>set_too_large</c>. Default 10,000.</summary>
    public int MaxSetElements { get; set; } = ServerLimits.Default.MaxSetElements;

    /// <summary>The largest set element, in bytes of its JSON text; a larger one is rejected with <c>set_too_large</c>. With <see cref="MaxSetElements"/>, it bounds a set. Default 1 KiB.</summary>
    public int MaxElementBytes { get; set; } = ServerLimits.Default.MaxElementBytes;

    /// <summary>
    /// About the largest a record's stored values and stamps may grow, in bytes (set elements aside); a write past it is
    /// rejected with <c>record_too_large</c>. Every write of a record rewrites its values, so this bounds one action's
    /// cost. Default 512 KiB.
    /// </summary>
    public int MaxRecordBytes { get; set; } = ServerLimits.Default.MaxRecordBytes;

    /// <summary>
    /// How long one push may hold a stream's writer at a time; a push that takes longer commits what it has decided and
    /// goes on in another turn, so pushes to other streams are not held up behind it. Each action stays atomic, and the
    /// push is answered once all of it is durable. Default 20 ms.
    /// </summary>
    public TimeSpan MaxWriteTurn { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long one push holds the store's writer while writes of other streams wait for it (a store with one writer
    /// for every stream, as SQLite's): then it commits what it decided and lets them in. Default 1 ms.
    /// </summary>
    public TimeSpan YieldWriteAfter { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How far an action's clock may be ahead of the server's before it is rejected with <c>clock_drift</c>. Default 100 ms.</summary>
    public TimeSpan AllowedClockDrift { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many actions a stream gains before maintenance writes a new snapshot. Default 10,000.</summary>
    public int SnapshotEveryActions { get; set; } = 10_000;

    /// <summary>How often maintenance runs (snapshots, compaction, the client registry). Default 1 minute.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often buffered client visits are written to the registry. Default 5 seconds.</summary>
    public TimeSpan RegistryFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A client not seen for this long no longer holds back compaction; it will bootstrap from a snapshot. Default 30 days.</summary>
    public TimeSpan ClientStaleAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>True to drop log entries every non-stale client has applied (keeping a snapshot that holds them). Default true.</summary>
    public bool CompactLog { get; set; } = true;

    /// <summary>How many head notifications may wait for one watcher before it is dropped as too slow. Default 16.</summary>
    public int WatchBufferSize { get; set; } = 16;

    /// <summary>How long one notification may take to send before the watcher is dropped. Default 10 seconds.</summary>
    public TimeSpan WatchSendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle watch socket is pinged. Default 30 seconds.</summary>
    public TimeSpan WatchKeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Runs maintenance in the background. Default true; tests turn it off and call it themselves.</summary>
    public bool RunMaintenance { get; set; } = true;

    /// <summary>The limits these options set (their defaults are <see cref="ServerLimits.Default"/>, the one definition).</summary>
    internal ServerLimits ToLimits() => new()
    {
        MaxRequestBodyBytes = MaxRequestBodyBytes,
        MaxActionsPerPush = MaxActionsPerPush,
        MaxJsonDepth = MaxJsonDepth,
        MaxStringBytes = MaxStringBytes,
        MaxCollections = MaxCollections,
        MaxFieldsPerCollection = MaxFieldsPerCollection,
        MaxSchemaFields = MaxSchemaFields,
        MaxSetElements = MaxSetElements,
        MaxElementBytes = MaxElementBytes,
        MaxRecordBytes = MaxRecordBytes,
    };

    /// <summary>Checks every option; throws naming the first one out of range (the host reports them all at start).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Failures().FirstOrDefault() is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Every option out of range, each named; empty when all are valid.</summary>
    internal IEnumerable<ArgumentOutOfRangeException> Failures()
    {
        var failures = new List<ArgumentOutOfRangeException>();
        Positive(failures, MaxRequestBodyBytes, nameof(MaxRequestBodyBytes));
        Positive(failures, MaxActionsPerPush, nameof(MaxActionsPerPush));
        Positive(failures, DefaultPullLimit, nameof(DefaultPullLimit));
        Positive(failures, MaxPullLimit, nameof(MaxPullLimit));
        Positive(failures, MaxJsonDepth, nameof(MaxJsonDepth));
        Positive(failures, MaxStringBytes, nameof(MaxStringBytes));
        Positive(failures, MaxCollections, nameof(MaxCollections));
        Positive(failures, MaxFieldsPerCollection, nameof(MaxFieldsPerCollection));
        Positive(failures, MaxSchemaFields, nameof(MaxSchemaFields));
        Positive(failures, MaxSetElements, nameof(MaxSetElements));
        Positive(failures, MaxElementBytes, nameof(MaxElementBytes));
        Positive(failures, MaxRecordBytes, nameof(MaxRecordBytes));
        Positive(failures, SnapshotEveryActions, nameof(SnapshotEveryActions));
        Positive(failures, WatchBufferSize, nameof(WatchBufferSize));
        Positive(failures, AllowedClockDrift.Ticks + 1, nameof(AllowedClockDrift));
        Positive(failures, MaintenanceInterval.Ticks, nameof(MaintenanceInterval));
        Positive(failures, RegistryFlushInterval.Ticks, nameof(RegistryFlushInterval));
        Positive(failures, ClientStaleAfter.Ticks, nameof(ClientStaleAfter));
        Positive(failures, WatchSendTimeout.Ticks, nameof(WatchSendTimeout));
        Positive(failures, WatchKeepAlive.Ticks, nameof(WatchKeepAlive));
        Positive(failures, MaxWriteTurn.Ticks, nameof(MaxWriteTurn));
        Positive(failures, YieldWriteAfter.Ticks, nameof(YieldWriteAfter));
        if (DefaultPullLimit > MaxPullLimit)
        {
            failures.Add(new ArgumentOutOfRangeException(nameof(DefaultPullLimit), DefaultPullLimit, $"{nameof(DefaultPullLimit)} cannot exceed {nameof(MaxPullLimit)} ({MaxPullLimit})."));
        }

        return failures;
    }

    private static void Positive(List<ArgumentOutOfRangeException> failures, long value, string name)
    {
        if (value <= 0)
        {
            failures.Add(new ArgumentOutOfRangeException(name, value, $"{name} must be positive."));
        }
    }
}
