using Converge.Client.Lifecycle;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Storage;

/// <summary>
/// One read-only connection to the replica file (a WAL reader) with the replica's tables over it: the read side of
/// <see cref="ReplicaFile"/>. Each <see cref="Read{T}"/> runs in one read transaction, so it sees one committed state.
/// </summary>
/// <remarks>
/// Not thread-safe: <see cref="ReplicaReaders"/> lends it to one read at a time. The settings and the schema are cached
/// between reads and forgotten when SQLite's <c>data_version</c> says another connection (the replica's writer) committed.
/// </remarks>
internal sealed class ReplicaReader : IDisposable
{
    private readonly ReplicaStatements _sql;
    private long _seenVersion = -1;
    private string? _boundStream;

    // Collection tables by (stream, collection), null when undeclared: kept until data_version says the file changed,
    // since a schema action or a reload that alters or re-creates a table commits on the writer.
    private readonly Dictionary<(string Stream, string Collection), CollectionTable?> _tables = [];

    private ReplicaReader(SqliteConnection connection)
    {
        Connection = connection;
        _sql = new ReplicaStatements(connection);
        Meta = new MetaTable(_sql, static () => { });
        Pending = new PendingTable(_sql);
        Confirmed = new ConfirmedTable(_sql);
        Rejections = new RejectionTable(_sql);
        Conflicts = new ConflictTable(_sql);
        Log = new LogTable(_sql);
    }

    /// <summary>The connection, for a read that runs its own SQL (inside the read transaction).</summary>
    public SqliteConnection Connection { get; }

    public MetaTable Meta { get; }

    public PendingTable Pending { get; }

    public ConfirmedTable Confirmed { get; }

    public RejectionTable Rejections { get; }

    public ConflictTable Conflicts { get; }

    public LogTable Log { get; }

    /// <summary>The merge state of the replica's stream; null while the file names no stream.</summary>
    public SqliteRecordState? State { get; private set; }

    /// <summary>Opens a read-only connection to the file with the setup every connection to a Converge file gets.</summary>
    public static ReplicaReader Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            SqliteText.Execute(connection, $"PRAGMA busy_timeout={SqliteText.BusyTimeoutMilliseconds};");
            ConfigureConnection(connection);
            return new ReplicaReader(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The merge state for a read.</summary>
    public SqliteRecordState ReadState() => State ?? throw new InvalidOperationException("The replica has no stream bound.");

    /// <summary>Where one action of this replica is in its life (as <see cref="ReplicaFile.FindState"/>).</summary>
    public ActionState FindState(Guid actionId) =>
        Confirmed.Find(actionId) is { } index ? new ActionState(actionId, ActionStatus.Confirmed, index)
        : Rejections.Find(actionId) ?? Pending.Find(actionId) ?? new ActionState(actionId, ActionStatus.Unknown);

    /// <summary>The table of a collection (as <see cref="CollectionTables.Find"/>), looked up once per committed state of the file.</summary>
    public CollectionTable? FindTable(string stream, string collection)
    {
        if (!_tables.TryGetValue((stream, collection), out var table))
        {
            table = CollectionTables.Find(Connection, stream, collection);
            _tables[(stream, collection)] = table;
        }

        return table;
    }

    /// <summary>SQLite's <c>PRAGMA integrity_check</c> of the file; "ok" when sound.</summary>
    public string IntegrityCheck() => _sql.ScalarOnce("PRAGMA integrity_check")!;

    /// <summary>Runs <paramref name="read"/> inside one read transaction: everything it reads is one committed state.</summary>
    public T Read<T>(Func<ReplicaReader, T> read)
    {
        _sql["BEGIN"].Run();
        try
        {
            // The first statement of the transaction takes its snapshot; data_version then tells whether anything was
            // committed since this connection last looked, so the caches go stale only when the file changed.
            var version = _sql["PRAGMA data_version"].ScalarLong() ?? 0;
            if (version != _seenVersion)
            {
                Forget();
                _seenVersion = version;
            }

            return read(this);
        }
        finally
        {
            _sql["COMMIT"].Run();
        }
    }

    public void Dispose()
    {
        State?.Dispose();
        _sql.Dispose();
        Connection.Dispose();
    }

    /// <summary>
    /// The connection setup shared with the writer beyond the pragmas: the collations the collection tables use
    /// (<c>cv_decimal</c>, <c>cv_instant</c>), which the writer gets from <see cref="SqliteText.Open"/>.
    /// </summary>
    private static void ConfigureConnection(SqliteConnection connection) => ConvergeCollations.Register(connection);

    private void Forget()
    {
        _tables.Clear();
        Meta.Forget();
        State?.Invalidate();
        var stream = Meta.Get(ReplicaKeys.Stream);
        if (stream != _boundStream)
        {
            State?.Dispose();
            State = stream is null ? null : new SqliteRecordState(Connection, stream);
            _boundStream = stream;
        }
    }
}
