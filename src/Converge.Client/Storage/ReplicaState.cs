using Converge.Core.Merge;
using Converge.Core.Schema;
using Converge.Core.State;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Storage;

/// <summary>
/// The replica's merge state: the stream's <see cref="SqliteRecordState"/>, plus one shortcut. Aliases are rare (only a
/// create that unifies by identity makes one), yet every applied action looks its id up in <c>cv_aliases</c>; inside
/// a write transaction the first lookup asks whether the stream has any alias at all, and while it has none the
/// lookups are answered without a statement.
/// </summary>
/// <remarks>
/// Not thread-safe. The answer is kept only until the transaction ends (<see cref="EndTransaction"/>) or an alias is
/// written; outside a write transaction every lookup goes to the table, since another opener may have written one.
/// </remarks>
internal sealed class ReplicaState : IRecordState, IExportableState, IDisposable
{
    private readonly SqliteRecordState _inner;
    private readonly RawStatement _anyAlias;
    private bool _inTransaction;
    private bool? _noAliases;

    public ReplicaState(SqliteConnection connection, string stream)
    {
        _inner = new SqliteRecordState(connection, stream);
        _anyAlias = new RawStatement(connection, "SELECT EXISTS (SELECT 1 FROM cv_aliases WHERE stream = ?1)");
        Stream = stream;
    }

    public string Stream { get; }

    /// <summary>A write transaction began: nobody else can write until it ends.</summary>
    public void BeginTransaction()
    {
        _inTransaction = true;
        _noAliases = null;
    }

    /// <summary>The write transaction ended (committed or rolled back).</summary>
    public void EndTransaction()
    {
        _inTransaction = false;
        _noAliases = null;
    }

    /// <summary>Forgets the cached schema, so the next read sees what another connection wrote.</summary>
    public void Invalidate()
    {
        _inner.Invalidate();
        _noAliases = null;
    }

    public StreamSchema GetSchema() => _inner.GetSchema();

    public void SetSchema(StreamSchema schema) => _inner.SetSchema(schema);

    public RecordData? GetRecord(RecordKey key) => _inner.GetRecord(key);

    public void SetRecord(RecordKey key, RecordData? record) => _inner.SetRecord(key, record);

    public Guid? GetAlias(RecordKey key)
    {
        if (_inTransaction)
        {
            _noAliases ??= _anyAlias.Bind(1, Stream).ScalarLong() == 0;
            if (_noAliases == true)
            {
                return null;
            }
        }

        return _inner.GetAlias(key);
    }

    public void SetAlias(RecordKey key, Guid? canonical)
    {
        _noAliases = null;
        _inner.SetAlias(key, canonical);
    }

    public Guid? GetUnique(UniqueKey key) => _inner.GetUnique(key);

    public void SetUnique(UniqueKey key, Guid? record) => _inner.SetUnique(key, record);

    public IEnumerable<RecordData> ReadRecords() => _inner.ReadRecords();

    /// <summary>Every record of one collection (tombstones too), ordered by id text.</summary>
    public IEnumerable<RecordData> ReadRecords(string collection) => _inner.ReadRecords(collection);

    public IEnumerable<KeyValuePair<RecordKey, Guid>> ReadAliases() => _inner.ReadAliases();

    /// <summary>Removes every row of the stream's merge state.</summary>
    public void Clear()
    {
        _noAliases = null;
        _inner.Clear();
    }

    public void Dispose()
    {
        _anyAlias.Dispose();
        _inner.Dispose();
    }
}
