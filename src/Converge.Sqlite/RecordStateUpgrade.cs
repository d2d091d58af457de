using Converge.Core.Merge;
using Converge.Core.Serialization;
using Converge.Core.State;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// Moves a file of the first storage shape (each record as RecordJson in <c>cv_records.data</c>, set elements as JSON in
/// <c>cv_elements.data</c>, older files with set elements inside their records) to collection tables and compact
/// metadata: one pass, in pages of rows, in the migration's transaction. A new file passes through it with no rows.
/// </summary>
internal static class RecordStateUpgrade
{
    private const int Page = 1000;

    private const string Tables = """
        ALTER TABLE cv_records RENAME TO cv_records_v1;
        ALTER TABLE cv_elements RENAME TO cv_elements_v1;

        -- One compact metadata blob per record, tombstones included (RecordMeta); live records' values are in their table.
        CREATE TABLE cv_records (
            stream     TEXT NOT NULL,
            collection TEXT NOT NULL,
            id         TEXT NOT NULL,
            meta       BLOB NOT NULL,
            PRIMARY KEY (stream, collection, id)
        ) WITHOUT ROWID;

        -- Set elements: value only when the key is not its canonical text; stamps as 24 bytes (StampBlob), null if none.
        CREATE TABLE cv_elements (
            stream     TEXT NOT NULL,
            collection TEXT NOT NULL,
            id         TEXT NOT NULL,
            field      TEXT NOT NULL,
            key        TEXT NOT NULL,
            value      TEXT,
            added      BLOB,
            removed    BLOB,
            PRIMARY KEY (stream, collection, id, field, key)
        ) WITHOUT ROWID;

        -- The visible table of each collection (cvt_1, cvt_2, ...).
        CREATE TABLE cv_tables (
            stream     TEXT NOT NULL,
            collection TEXT NOT NULL,
            name       TEXT NOT NULL UNIQUE,
            PRIMARY KEY (stream, collection)
        ) WITHOUT ROWID;

        -- Local indexes an app declared (never synced), re-created whenever their table is.
        CREATE TABLE cv_indexes (
            seq        INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            stream     TEXT NOT NULL,
            collection TEXT NOT NULL,
            fields     TEXT NOT NULL
        );
        """;

    public static void Run(SqliteConnection connection)
    {
        SqliteText.Execute(connection, Tables);
        var states = new Dictionary<string, SqliteRecordState>(StringComparer.Ordinal);
        try
        {
            using (var streams = connection.CreateCommand())
            {
                streams.CommandText = "SELECT stream FROM cv_schema";
                using var reader = streams.ExecuteReader();
                while (reader.Read())
                {
                    states[reader.GetString(0)] = new SqliteRecordState(connection, reader.GetString(0));
                }
            }

            foreach (var state in states.Values)
            {
                state.EnsureTables();
            }

            // Every element first (also those of tombstones, which no header lists), so the rows' set columns can be read from them.
            using (var elements = connection.CreateCommand())
            {
                elements.CommandText = "SELECT stream, collection, id, field, key, data FROM cv_elements_v1 ORDER BY stream, collection, id, field, key";
                using var reader = elements.ExecuteReader();
                while (reader.Read())
                {
                    var stream = reader.GetString(0);
                    if (!states.TryGetValue(stream, out var state))
                    {
                        state = new SqliteRecordState(connection, stream);
                        states[stream] = state;
                    }

                    state.SetElement(new RecordKey(reader.GetString(1), Guid.ParseExact(reader.GetString(2), "D")), reader.GetString(3), reader.GetString(4), RecordJson.DeserializeElement((byte[])reader[5]));
                }
            }

            (string Stream, string Collection, string Id) after = ("", "", "");
            while (true)
            {
                var page = ReadPage(connection, after);
                foreach (var (stream, data) in page)
                {
                    if (!states.TryGetValue(stream, out var state))
                    {
                        state = new SqliteRecordState(connection, stream);
                        states[stream] = state;
                    }

                    var record = RecordJson.Deserialize(data);

                    // Elements kept inside the record (the oldest files) were keyed before -0 and 0 were one key.
                    if (record.Fields.Values.Any(f => f is SetState { Elements: not null }))
                    {
                        record = NegativeZero.Rekey(record, state.GetSchema());
                    }

                    state.SetRecord(record.Key, record);
                }

                if (page.Count < Page)
                {
                    break;
                }

                var last = RecordJson.Deserialize(page[^1].Data).Key;
                after = (page[^1].Stream, last.Collection, last.Id.ToString("D"));
            }

            SqliteText.Execute(connection, "DROP TABLE cv_records_v1; DROP TABLE cv_elements_v1;");
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
        command.CommandText = "SELECT stream, data FROM cv_records_v1 WHERE (stream, collection, id) > ($s, $c, $i) ORDER BY stream, collection, id LIMIT $n";
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
