using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Storage;

/// <summary>
/// The one way the replica's tables talk SQL: statements prepared once on the connection's native handle (a
/// <see cref="RawStatement"/>, bound by position), reused, and disposed together before the connection.
/// </summary>
/// <remarks>Not thread-safe: the replica's lock serializes every use.</remarks>
internal sealed class ReplicaStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, RawStatement> _prepared = new(StringComparer.Ordinal);

    /// <summary>The prepared statement for <paramref name="sql"/> (parameters <c>?1</c>, <c>?2</c>, ...), made on first use.</summary>
    public RawStatement this[string sql]
    {
        get
        {
            if (!_prepared.TryGetValue(sql, out var statement))
            {
                statement = new RawStatement(connection, sql);
                _prepared[sql] = statement;
            }

            return statement;
        }
    }

    /// <summary>Runs a statement once, unprepared afterwards (a pragma whose text varies).</summary>
    public void RunOnce(string sql)
    {
        using var statement = new RawStatement(connection, sql);
        statement.Run();
    }

    /// <summary>The first column of a statement run once, as text.</summary>
    public string? ScalarOnce(string sql)
    {
        using var statement = new RawStatement(connection, sql);
        return statement.ScalarText();
    }

    public void Dispose()
    {
        foreach (var statement in _prepared.Values)
        {
            statement.Dispose();
        }

        _prepared.Clear();
    }
}
