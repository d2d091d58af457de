using System.Globalization;

namespace Converge.Client.Storage;

/// <summary>
/// The replica's settings (<c>cv_replica</c>: stream, client id, cursor, clock, last sync...), cached in memory. The
/// cache is forgotten by <see cref="ReplicaFile"/> when another opener of the file committed.
/// </summary>
internal sealed class MetaTable(ReplicaStatements sql, Action refreshOutsideWrite)
{
    private const string SelectSql = "SELECT value FROM cv_replica WHERE key = ?1";
    private const string UpsertSql = "INSERT INTO cv_replica (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    private const string DeleteSql = "DELETE FROM cv_replica WHERE key = ?1";

    private readonly Dictionary<string, string?> _cache = new(StringComparer.Ordinal);

    public string? Get(string key)
    {
        refreshOutsideWrite();
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var value = sql[SelectSql].Bind(1, key).ScalarText();
        _cache[key] = value;
        return value;
    }

    public long GetLong(string key) => Get(key) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    public void Set(string key, string? value)
    {
        _cache.Remove(key);
        if (value is null)
        {
            sql[DeleteSql].Bind(1, key).Run();
        }
        else
        {
            sql[UpsertSql].Bind(1, key).Bind(2, value).Run();
        }

        _cache[key] = value;
    }

    public void Set(string key, long value) => Set(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Raises <paramref name="key"/> to <paramref name="value"/> when it is below.</summary>
    public void Raise(string key, long value)
    {
        if (value > GetLong(key))
        {
            Set(key, value);
        }
    }

    /// <summary>Forgets what is cached (another connection committed, or a transaction rolled back).</summary>
    public void Forget() => _cache.Clear();
}
