using System.Buffers;
using System.Text.Json;
using Converge.Core.Export;
using Converge.Sqlite;
using Microsoft.Data.Sqlite;

namespace Converge.Client.Query;

/// <summary>
/// The read-only SQL entry point: a connection opened read-only on the replica file, with one temp view per collection
/// named after it, <c>PRAGMA query_only</c> and no ATTACH, so a statement can read the collections and nothing else.
/// </summary>
internal static class SqlEntryPoint
{
    /// <summary>Runs <paramref name="sql"/> and reads every row as a JSON object.</summary>
    public static IReadOnlyList<JsonElement> Run(string path, string stream, string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        ConvergeCollations.Register(connection);
        SqliteText.Execute(connection, $"PRAGMA busy_timeout={SqliteText.BusyTimeoutMilliseconds}");
        foreach (var table in CollectionTables.List(connection, stream))
        {
            var columns = string.Concat(table.Columns.Keys.Order(StringComparer.Ordinal).Select(c => $", \"{c}\""));
            SqliteText.Execute(connection, $"CREATE TEMP VIEW IF NOT EXISTS {Quote(table.Collection)} AS SELECT id{columns}, \"$owner\"{(table.Open ? ", \"$extra\"" : "")} FROM \"{table.Name}\"");
        }

        SqliteText.Execute(connection, "PRAGMA query_only=ON");
        SQLitePCL.raw.sqlite3_limit(connection.Handle, SQLitePCL.raw.SQLITE_LIMIT_ATTACHED, 0);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<JsonElement>();
        var buffer = new ArrayBufferWriter<byte>(256);
        while (reader.Read())
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
            {
                writer.WriteStartObject();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    writer.WritePropertyName(reader.GetName(i));
                    switch (reader.IsDBNull(i) ? null : reader.GetValue(i))
                    {
                        case null:
                            writer.WriteNullValue();
                            break;
                        case long whole:
                            writer.WriteNumberValue(whole);
                            break;
                        case double real:
                            writer.WriteNumberValue(real);
                            break;
                        case byte[] blob:
                            writer.WriteBase64StringValue(blob);
                            break;
                        case var text:
                            writer.WriteStringValue(Convert.ToString(text, System.Globalization.CultureInfo.InvariantCulture));
                            break;
                    }
                }

                writer.WriteEndObject();
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            rows.Add(document.RootElement.Clone());
        }

        return rows;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
