using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// Applies versioned <c>.sql</c> scripts embedded in an assembly, once each, in name order, recording them in
/// <c>cv_migrations</c>. Scripts of several assemblies (the shared record state, the client, the server) share one table.
/// </summary>
internal static class SqliteMigrations
{
    private const string RecordStatePrefix = "Converge.Sqlite.Sql.";
    private const string InlineSets = "Converge.Sqlite.Code.0002_set_elements";
    private const string CollectionTablesStep = "Converge.Sqlite.Code.0004_collection_tables";

    /// <summary>Applies the scripts embedded in <paramref name="assembly"/> whose resource names start with <paramref name="prefix"/>.</summary>
    public static void Apply(SqliteConnection connection, Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(assembly);
        SqliteText.Execute(connection, "CREATE TABLE IF NOT EXISTS cv_migrations (name TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        foreach (var name in Scripts(assembly, prefix))
        {
            ApplyStep(connection, name, c =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                SqliteText.Execute(c, reader.ReadToEnd());
            });
        }
    }

    /// <summary>
    /// Applies the shared record-state tables, then moves records to collection tables and compact metadata
    /// (<see cref="RecordStateUpgrade"/>, which also moves set elements the oldest files kept inside records).
    /// </summary>
    public static void ApplyRecordState(SqliteConnection connection)
    {
        Apply(connection, typeof(SqliteMigrations).Assembly, RecordStatePrefix);

        // Done by the collection-tables step since it exists (it reads records of either old form); recorded so a file
        // stays readable by the builds that know the name.
        ApplyStep(connection, InlineSets, static _ => { });
        ApplyStep(connection, CollectionTablesStep, RecordStateUpgrade.Run);
    }

    /// <summary>
    /// The migrations the file records, of <paramref name="assembly"/>'s scripts under <paramref name="prefix"/> or of the
    /// shared record state, that this build does not have: a file a newer version wrote. Empty for a new file.
    /// </summary>
    /// <remarks>Reads only: call it before <see cref="Apply"/>, so a file this build cannot read is left as it was.</remarks>
    public static IReadOnlyList<string> Unknown(SqliteConnection connection, Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (SqliteText.Scalar(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cv_migrations'") is null)
        {
            return [];
        }

        var known = Scripts(assembly, prefix).Concat(Scripts(typeof(SqliteMigrations).Assembly, RecordStatePrefix)).Append(InlineSets).Append(CollectionTablesStep).ToHashSet(StringComparer.Ordinal);

        // The assembly's own steps, scripts and code alike ("Converge.Client.Sql.", "Converge.Client.Code."), and the record state's.
        var owner = prefix[..(prefix.IndexOf('.', "Converge.".Length) + 1)];
        var unknown = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM cv_migrations ORDER BY name";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if ((name.StartsWith(owner, StringComparison.Ordinal) || name.StartsWith("Converge.Sqlite.", StringComparison.Ordinal)) && !known.Contains(name))
            {
                unknown.Add(name);
            }
        }

        return unknown;
    }

    private static IEnumerable<string> Scripts(Assembly assembly, string prefix) =>
        assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    /// <summary>Runs a migration written in code once, like a script: in one transaction, recorded by <paramref name="name"/>.</summary>
    /// <remarks>After <see cref="Apply"/>, which makes <c>cv_migrations</c>.</remarks>
    private static void ApplyStep(SqliteConnection connection, string name, Action<SqliteConnection> step)
    {
        using var check = connection.CreateCommand();
        check.CommandText = "SELECT 1 FROM cv_migrations WHERE name = $name";
        check.Parameters.AddWithValue("$name", name);
        if (check.ExecuteScalar() is not null)
        {
            return;
        }

        SqliteText.Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            step(connection);
            using var record = connection.CreateCommand();
            record.CommandText = "INSERT INTO cv_migrations (name, applied_at) VALUES ($name, datetime('now'))";
            record.Parameters.AddWithValue("$name", name);
            record.ExecuteNonQuery();
            SqliteText.Execute(connection, "COMMIT");
        }
        catch
        {
            SqliteText.Execute(connection, "ROLLBACK");
            throw;
        }
    }
}
