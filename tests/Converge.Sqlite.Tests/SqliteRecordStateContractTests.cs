using Converge.Core.Merge;
using Converge.Testing;
using Converge.Testing.State;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite.Tests;

/// <summary>The record-state contract, against the SQLite tables on a real file; reopened on a second connection.</summary>
public sealed class SqliteRecordStateContractTests : RecordStateContract, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<IDisposable> _owned = [];
    private readonly Dictionary<IRecordState, string> _paths = [];

    internal override Task<IRecordState> CreateStateAsync() => Task.FromResult(Open(_directory.File($"state-{_paths.Count}.db")));

    internal override Task<IRecordState> ReopenAsync(IRecordState state) => Task.FromResult(Open(_paths[state]));

    public void Dispose()
    {
        _owned.Reverse();
        _owned.ForEach(o => o.Dispose());
        _directory.Dispose();
    }

    private IRecordState Open(string path)
    {
        var connection = SqliteText.Open(path, fullSync: false);
        _owned.Add(connection);
        SqliteMigrations.ApplyRecordState(connection);
        var state = new SqliteRecordState(connection, "s");
        _owned.Add(state);
        _paths[state] = path;
        return state;
    }
}
