using System.Collections.Immutable;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Merge;
using Converge.Core.Serialization;
using Converge.Core.State;
using Converge.Testing;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite.Tests;

/// <summary>The collection tables as schema actions shape them: columns added in the same transaction, extras moved, indexes kept.</summary>
public sealed class CollectionTablesTests : IDisposable
{
    private static readonly RecordKey Note = new("n", Guid.Parse("01900000-0000-7000-8000-000000000001"));
    private readonly TempDirectory _directory = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteRecordState _state;

    public CollectionTablesTests()
    {
        _connection = SqliteText.Open(_directory.File("t.db"), fullSync: false);
        SqliteMigrations.ApplyRecordState(_connection);
        _state = new SqliteRecordState(_connection, "s");
    }

    [Fact]
    public void SetSchema_DeclaringAFieldOfAnOpenCollection_MovesItsValuesOutOfExtraIntoTheNewColumn()
    {
        _state.SetSchema(Schema("""{"n":{"open":true,"fields":{"title":{"type":"string"}}}}"""));
        var record = new RecordData(Note, null, HybridTimestamp.MinValue, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, FieldState>
        {
            ["title"] = new RegisterState(Json.Parse("\"a\""), Stamp(1)),
            ["due"] = new RegisterState(Json.Parse("\"2026-11-21T08:00:00+02:00\""), Stamp(2)),
            ["size"] = new RegisterState(Json.Parse("1.0"), Stamp(2)),
        }));
        _state.SetRecord(Note, record);
        var table = CollectionTables.Find(_connection, "s", "n")!.Name;
        SqliteText.Scalar(_connection, $"SELECT \"$extra\" FROM {table}").ShouldBe("""{"due":"2026-11-21T08:00:00+02:00","size":1.0}""");

        SqliteText.Execute(_connection, "BEGIN IMMEDIATE");
        _state.SetSchema(Schema("""{"n":{"open":true,"fields":{"title":{"type":"string"},"due":{"type":"instant"}}}}"""));
        SqliteText.Execute(_connection, "COMMIT");

        SqliteText.Scalar(_connection, $"SELECT due FROM {table}").ShouldBe("2026-11-21T08:00:00+02:00");
        SqliteText.Scalar(_connection, $"SELECT \"$extra\" FROM {table}").ShouldBe("""{"size":1.0}""");
        SqliteText.Scalar(_connection, $"SELECT count(*) FROM {table} WHERE due > '2026-11-21T05:59:59.999999999Z'").ShouldBe(1L);
        RecordJson.Serialize(_state.GetRecord(Note)!).ShouldBe(RecordJson.Serialize(record));
    }

    [Fact]
    public void SetSchema_WithAUniqueField_IndexesIt_AndALocalIndexSurvivesTheTablesRebuild()
    {
        _state.SetSchema(Schema("""{"n":{"fields":{"email":{"type":"string","unique":"value"},"due":{"type":"instant"}}}}"""));
        var table = CollectionTables.Find(_connection, "s", "n")!.Name;
        Indexes(table).ShouldContain($"{table}_u_email");

        var index = CollectionTables.CreateIndex(_connection, "s", "n", ["due"]);
        CollectionTables.CreateIndex(_connection, "s", "n", ["due"]).ShouldBe(index);
        Indexes(table).ShouldContain(index);
        Should.Throw<ArgumentException>(() => CollectionTables.CreateIndex(_connection, "s", "n", ["nope"]));

        // A reload clears the stream and loads it again: the table is made anew, with the app's index.
        _state.Clear();
        CollectionTables.Find(_connection, "s", "n").ShouldBeNull();
        _state.SetSchema(Schema("""{"n":{"fields":{"email":{"type":"string","unique":"value"},"due":{"type":"instant"}}}}"""));
        Indexes(CollectionTables.Find(_connection, "s", "n")!.Name).ShouldContain(index);

        CollectionTables.DropIndex(_connection, "s", "n", ["due"]).ShouldBeTrue();
        Indexes(CollectionTables.Find(_connection, "s", "n")!.Name).ShouldNotContain(index);
        CollectionTables.DropIndex(_connection, "s", "n", ["due"]).ShouldBeFalse();
    }

    [Fact]
    public void SetSchema_RolledBack_LeavesNoTable()
    {
        SqliteText.Execute(_connection, "BEGIN IMMEDIATE");
        _state.SetSchema(Schema("""{"n":{"fields":{"title":{"type":"string"}}}}"""));
        CollectionTables.Find(_connection, "s", "n").ShouldNotBeNull();
        SqliteText.Execute(_connection, "ROLLBACK");
        _state.Invalidate();

        CollectionTables.List(_connection, "s").ShouldBeEmpty();
        SqliteText.Scalar(_connection, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'cvt_%'").ShouldBe(0L);
    }

    [Theory]
    [InlineData("1.5", "1.50", 0)]
    [InlineData("1e3", "999.9", 1)]
    [InlineData("-0", "0", 0)]
    [InlineData("-2", "1", -1)]
    public void Decimal_Collation_OrdersByValue(string left, string right, int expected) =>
        Math.Sign(ConvergeCollations.CompareDecimals(left, right)).ShouldBe(expected);

    [Theory]
    [InlineData("2026-11-21T08:00:00+02:00", "2026-11-21T06:00:00Z", 0)]
    [InlineData("2026-11-21T06:00:00.000000001Z", "2026-11-21T06:00:00Z", 1)]
    [InlineData("2026-11-21T06:00:00-00:30", "2026-11-21T06:10:00Z", 1)]
    public void Instant_Collation_OrdersByUtcInstant(string left, string right, int expected) =>
        Math.Sign(ConvergeCollations.CompareInstants(left, right)).ShouldBe(expected);

    public void Dispose()
    {
        _state.Dispose();
        _connection.Dispose();
        _directory.Dispose();
    }

    private static Core.Schema.StreamSchema Schema(string collections) => SchemaJson.Deserialize(System.Text.Encoding.UTF8.GetBytes("{\"collections\":" + collections + "}"));

    private static HybridTimestamp Stamp(int n) => new(HybridTimestamp.ToNanoseconds(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero)) + n, new NodeId(1));

    private List<string> Indexes(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}'";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
