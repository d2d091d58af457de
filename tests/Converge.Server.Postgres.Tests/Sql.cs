using Converge.Core.Actions;
using Converge.Core.Merge;
using Converge.Core.Protocol;
using Converge.Server.Storage;
using Npgsql;

namespace Converge.Server.Postgres.Tests;

/// <summary>What the migration tests do to a database directly: run SQL on it, and push actions into a store as the server would.</summary>
internal static class Sql
{
    /// <summary>Runs SQL (one or more statements) on the database.</summary>
    public static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row of a query.</summary>
    public static async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Applies and appends the actions to a stream in one session, as alice; each must be accepted.</summary>
    public static async Task PushAsync(IConvergeStore store, string stream, params ConvergeAction[] actions)
    {
        var session = await store.BeginWriteAsync(stream);
        await using (session)
        {
            foreach (var action in actions)
            {
                MergeEngine.Apply(session.State, action, new ApplyContext("alice")).IsRejected.ShouldBeFalse();
                var body = ActionBody.Serialize(action);
                session.Append(new StoredAction(session.Head + 1, action.Id, Guid.CreateVersion7(), "alice", body), ActionBody.Hash(body));
            }

            await session.CommitAsync();
        }
    }
}
