using Converge.Core.Merge;
using Converge.Core.Serialization;
using Converge.Core.State;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// Moves the set elements that files written before <c>cv_elements</c> kept inside their records' rows into
/// <c>cv_elements</c>, leaving each set's header in the record: one pass, in pages of rows, in the migration's transaction.
/// </summary>
internal static class InlineSetMigration
{
    private const int Page = 1000;

    public static void Run(SqliteConnection connection)
    {
        var states = new Dictionary<string, SqliteRecordState>(StringComparer.Ordinal);
        try
        {
            (string Stream, string Collection, string Id) after = ("", "", "");
            while (true)
            {
                var page = ReadPage(connection, after);
                foreach (var (stream, data) in page)
                {
                    var record = RecordJson.Deserialize(data);
                    if (record.Fields.Values.Any(f => f is SetState { Elements: not null }))
                    {
                        if (!states.TryGetValue(stream, out var state))
                        {
                            state = new SqliteRecordState(connection, stream);
                            states[stream] = state;
                        }

                        state.SetRecord(record.Key, NegativeZero.Rekey(record, state.GetSchema()));
                    }
                }

                if (page.Count < Page)
                {
                    return;
                }

                var last = RecordJson.Deserialize(page[^1].Data).Key;
                after = (page[^1].Stream, last.Collection, last.Id.ToString("D"));
            }
        }
        finally
        {
            foreach (var state in states.Values)
            {
                state.Dispose();
            }
        }
    }

    private static List<(string Stream, byte[] Data)> ReadPage(SqliteConnection connection, (string Stream, string Collection, string Id) after)
    {
        using var command = connection.CreateCommand();

        // Only rows that may hold elements ('"s":[' outside a string is how a stored set lists them) are read in full.
        command.CommandText = """
            SELECT stream, data FROM cv_records
            WHERE (stream, collection, id) > ($s, $c, $i) AND instr(CAST(data AS TEXT), '"s":[') > 0
            ORDER BY stream, collection, id LIMIT $n
            """;
        command.Parameters.AddWithValue("$s", after.Stream);
        command.Parameters.AddWithValue("$c", after.Collection);
        command.Parameters.AddWithValue("$i", after.Id);
        command.Parameters.AddWithValue("$n", Page);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, byte[])>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), (byte[])reader[1]));
        }

        return rows;
    }
}
