using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>Prepared commands of one connection, created on first use and reused, keyed by their SQL text.</summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class SqliteStatements : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Creates a cache for a connection.</summary>
    public SqliteStatements(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
    }

    /// <summary>The prepared command for <paramref name="sql"/>, with one parameter per name, in order.</summary>
    public SqliteCommand Get(string sql, params ReadOnlySpan<string> parameters)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        _commands[sql] = command;
        return command;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
