using Converge.Core.Merge;
using Converge.Sqlite;
using Converge.Testing;

namespace Converge.Sqlite.Tests;

public sealed class SqliteRecordStateTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Alias_SetAfterAnEmptyLookup_IsSeenAtOnce()
    {
        using var connection = Open();
        using var state = new SqliteRecordState(connection, "s");
        var key = new RecordKey("person", Guid.CreateVersion7());
        var canonical = Guid.CreateVersion7();

        state.GetAlias(key).ShouldBeNull();
        state.SetAlias(key, canonical);

        state.GetAlias(key).ShouldBe(canonical);
        state.GetAlias(new RecordKey("person", Guid.CreateVersion7())).ShouldBeNull();
    }

    [Fact]
    public void Alias_WrittenByAnotherConnection_IsSeenAfterInvalidate()
    {
        using var first = Open();
        using var second = Open();
        using var reader = new SqliteRecordState(first, "s");
        using var writer = new SqliteRecordState(second, "s");
        var key = new RecordKey("person", Guid.CreateVersion7());
        var canonical = Guid.CreateVersion7();
        reader.GetAlias(key).ShouldBeNull();

        writer.SetAlias(key, canonical);
        reader.Invalidate();

        reader.GetAlias(key).ShouldBe(canonical);
    }

    [Fact]
    public void Alias_RestoredByARollback_IsSeenAfterInvalidate()
    {
        using var connection = Open();
        using var state = new SqliteRecordState(connection, "s");
        var key = new RecordKey("person", Guid.CreateVersion7());
        var canonical = Guid.CreateVersion7();
        state.SetAlias(key, canonical);

        SqliteText.Execute(connection, "BEGIN IMMEDIATE");
        state.Clear();
        state.GetAlias(key).ShouldBeNull();
        SqliteText.Execute(connection, "ROLLBACK");
        state.Invalidate();

        state.GetAlias(key).ShouldBe(canonical);
    }

    [Fact]
    public void Aliases_OfAnotherStream_DoNotCount()
    {
        using var connection = Open();
        using var mine = new SqliteRecordState(connection, "mine");
        using var theirs = new SqliteRecordState(connection, "theirs");
        var key = new RecordKey("person", Guid.CreateVersion7());
        theirs.SetAlias(key, Guid.CreateVersion7());

        mine.GetAlias(key).ShouldBeNull();
        mine.SetAlias(key, key.Id);

        mine.GetAlias(key).ShouldBe(key.Id);
    }

    public void Dispose() => _directory.Dispose();

    private Microsoft.Data.Sqlite.SqliteConnection Open()
    {
        var connection = SqliteText.Open(_directory.File("state.db"), fullSync: false);
        SqliteMigrations.ApplyRecordState(connection);
        return connection;
    }
}
