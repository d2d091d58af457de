using System.Text.Json;
using Converge.Core.Export;
using Converge.Core.Schema;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>Finds the visible tables of a stream's collections.</summary>
/// <remarks>
/// PROVISIONAL (i14-query): stands in for i14-store's type of the same name until that branch is merged; take theirs.
/// It materializes a TEMP table from the record state on every call (the visible records <c>QueryAsync</c> shows), so
/// the query layer can be built and tested before the stored tables exist. Slow by design; never ship it.
/// </remarks>
internal static class CollectionTables
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, object> s_collated = [];

    /// <summary>The visible table of a collection, or null when the stream's schema has no such collection.</summary>
    public static CollectionTable? Find(SqliteConnection connection, string stream, string collection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var state = new SqliteRecordState(connection, stream);
        var schema = state.GetSchema();
        return schema.FindCollection(collection) is { } declared ? Materialize(connection, state, stream, collection, declared, schema) : null;
    }

    /// <summary>The visible tables of every collection of a stream.</summary>
    public static IReadOnlyList<CollectionTable> List(SqliteConnection connection, string stream)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var state = new SqliteRecordState(connection, stream);
        var schema = state.GetSchema();
        return [.. schema.Collections.Select(c => Materialize(connection, state, stream, c.Key, c.Value, schema))];
    }

    /// <summary>The column kind of a field (the design's table).</summary>
    public static ColumnKind KindOf(FieldSchema field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.IsSet ? ColumnKind.Set : field.Type switch
        {
            FieldType.String => ColumnKind.Text,
            FieldType.Long => ColumnKind.Integer,
            FieldType.Double => ColumnKind.Real,
            FieldType.Decimal => ColumnKind.Decimal,
            FieldType.Bool => ColumnKind.Bool,
            FieldType.Instant => ColumnKind.Instant,
            FieldType.Uuid or FieldType.Ref => ColumnKind.Uuid,
            _ => ColumnKind.Json,
        };
    }

    private static CollectionTable Materialize(SqliteConnection connection, SqliteRecordState state, string stream, string collection, CollectionSchema declared, StreamSchema schema)
    {
        if (!s_collated.TryGetValue(connection, out _))
        {
            ConvergeCollations.Register(connection);
            s_collated.AddOrUpdate(connection, new object());
        }

        var name = "cvt_" + (schema.Collections.Keys.ToList().IndexOf(collection) + 1);
        var columns = declared.Fields.ToDictionary(f => f.Key, f => new TableColumn(f.Key, f.Value, KindOf(f.Value)), StringComparer.Ordinal);
        SqliteText.Execute(connection, $"DROP TABLE IF EXISTS temp.\"{name}\"");
        var definitions = string.Join(", ", columns.Values.Select(c => $"\"{c.Field}\" {TypeOf(c.Kind)}"));
        SqliteText.Execute(connection, $"CREATE TEMP TABLE \"{name}\" (id TEXT NOT NULL PRIMARY KEY, \"$owner\" TEXT NULL{(columns.Count > 0 ? ", " + definitions : "")}, \"$extra\" TEXT NULL)");
        using var insert = connection.CreateCommand();
        var names = columns.Keys.ToList();
        insert.CommandText = $"INSERT INTO temp.\"{name}\" VALUES ($id, $owner{string.Concat(names.Select((_, i) => $", $c{i}"))}, $extra)";
        foreach (var record in state.ReadRecords(collection).Where(r => !r.IsDeleted).ToList())
        {
            var view = CanonicalJson.Parse(RecordView.ToText(record));
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$id", record.Key.Id.ToString("D"));
            insert.Parameters.AddWithValue("$owner", (object?)record.Owner ?? DBNull.Value);
            for (var i = 0; i < names.Count; i++)
            {
                insert.Parameters.AddWithValue($"$c{i}", view.TryGetProperty(names[i], out var value) ? ValueOf(columns[names[i]].Kind, value) : DBNull.Value);
            }

            var extra = view.EnumerateObject().Where(p => p.Name != "id" && !columns.ContainsKey(p.Name)).ToList();
            insert.Parameters.AddWithValue("$extra", extra.Count == 0 ? DBNull.Value : ExtraOf(extra));
            insert.ExecuteNonQuery();
        }

        var table = new CollectionTable(stream, collection, name, declared.Open, columns);
        CollectionIndexes.Apply(connection, table);
        return table;
    }

    private static string ExtraOf(List<JsonProperty> extra)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var property in extra)
            {
                writer.WritePropertyName(property.Name);
                CanonicalJson.Write(writer, property.Value);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Integer or ColumnKind.Bool => "INTEGER",
        ColumnKind.Real => "REAL",
        ColumnKind.Decimal => "TEXT COLLATE cv_decimal",
        ColumnKind.Instant => "TEXT COLLATE cv_instant",
        _ => "TEXT",
    };

    private static object ValueOf(ColumnKind kind, JsonElement value) => kind switch
    {
        ColumnKind.Integer => value.TryGetInt64(out var whole) ? whole : value.GetRawText(),
        ColumnKind.Real => value.GetDouble(),
        ColumnKind.Bool => value.GetBoolean() ? 1L : 0L,
        ColumnKind.Decimal or ColumnKind.Json or ColumnKind.Set => value.GetRawText(),
        _ => value.GetString()!,
    };
}
