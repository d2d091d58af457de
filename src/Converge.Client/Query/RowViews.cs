using System.Buffers;
using System.Text.Json;
using Converge.Core.Export;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Query;

/// <summary>Reads rows of a visible table back into record views (<c>{"id": ..., field: value}</c>, fields in ordinal order, absent ones left out).</summary>
internal static class RowViews
{
    /// <summary>Runs a SELECT of <c>id</c>, then <paramref name="columns"/>, then (when <paramref name="extra"/>) <c>$extra</c>, and reads every row.</summary>
    public static List<JsonElement> Read(SqliteConnection connection, string sql, QueryParameters parameters, IReadOnlyList<TableColumn> columns, bool extra)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        parameters.BindTo(command);
        using var reader = command.ExecuteReader();
        var views = new List<JsonElement>();
        var buffer = new ArrayBufferWriter<byte>(512);
        var values = new SortedDictionary<string, (TableColumn? Column, int Ordinal, JsonElement Extra)>(StringComparer.Ordinal);
        while (reader.Read())
        {
            values.Clear();
            for (var i = 0; i < columns.Count; i++)
            {
                if (!reader.IsDBNull(i + 1))
                {
                    values[columns[i].Field] = (columns[i], i + 1, default);
                }
            }

            if (extra && !reader.IsDBNull(columns.Count + 1))
            {
                foreach (var property in CanonicalJson.Parse(reader.GetString(columns.Count + 1)).EnumerateObject())
                {
                    values.TryAdd(property.Name, (null, -1, property.Value));
                }
            }

            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("id", reader.GetString(0));
                foreach (var (name, (column, ordinal, extraValue)) in values)
                {
                    writer.WritePropertyName(name);
                    if (column is null)
                    {
                        CanonicalJson.Write(writer, extraValue);
                    }
                    else
                    {
                        WriteValue(writer, column.Kind, reader, ordinal);
                    }
                }

                writer.WriteEndObject();
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            views.Add(document.RootElement.Clone());
        }

        return views;
    }

    private static void WriteValue(Utf8JsonWriter writer, ColumnKind kind, SqliteDataReader reader, int ordinal)
    {
        switch (kind)
        {
            case ColumnKind.Integer:
                writer.WriteNumberValue(reader.GetInt64(ordinal));
                break;
            case ColumnKind.Real:
                writer.WriteNumberValue(reader.GetDouble(ordinal));
                break;
            case ColumnKind.Bool:
                writer.WriteBooleanValue(reader.GetInt64(ordinal) != 0);
                break;
            case ColumnKind.Decimal or ColumnKind.Json or ColumnKind.Set:
                writer.WriteRawValue(reader.GetString(ordinal), skipInputValidation: false);
                break;
            default:
                writer.WriteStringValue(reader.GetString(ordinal));
                break;
        }
    }
}
