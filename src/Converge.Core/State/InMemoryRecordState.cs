using Converge.Core.Merge;
using Converge.Core.Schema;

namespace Converge.Core.State;

/// <summary>A record state held in memory: for tests, the simulator, and replaying a log to check it.</summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class InMemoryRecordState : IRecordState, IExportableState
{
    private readonly SortedDictionary<RecordKey, RecordData> _records = new(RecordKeyComparer.Instance);
    private readonly SortedDictionary<RecordKey, Guid> _aliases = new(RecordKeyComparer.Instance);
    private readonly Dictionary<UniqueKey, Guid> _unique = [];
    private readonly Dictionary<(RecordKey Key, string Field), SortedDictionary<string, SetElement>> _elements = [];
    private StreamSchema _schema = StreamSchema.Empty;

    /// <summary>The number of records held, tombstones included.</summary>
    public int RecordCount => _records.Count;

    /// <inheritdoc />
    public StreamSchema GetSchema() => _schema;

    /// <inheritdoc />
    public void SetSchema(StreamSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
    }

    /// <inheritdoc />
    public RecordData? GetRecord(RecordKey key) => _records.GetValueOrDefault(key);

    /// <inheritdoc />
    public void SetRecord(RecordKey key, RecordData? record)
    {
        if (record is null)
        {
            _records.Remove(key);
            return;
        }

        var (header, sets) = RecordSets.Split(record);
        foreach (var (field, elements) in sets)
        {
            _elements[(key, field)] = new SortedDictionary<string, SetElement>(elements, StringComparer.Ordinal);
        }

        _records[key] = header;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, SetElement> GetElements(RecordKey key, string field, IReadOnlyCollection<string> elementKeys)
    {
        ArgumentNullException.ThrowIfNull(elementKeys);
        var found = new Dictionary<string, SetElement>(StringComparer.Ordinal);
        if (_elements.TryGetValue((key, field), out var elements))
        {
            foreach (var elementKey in elementKeys)
            {
                if (elements.TryGetValue(elementKey, out var element))
                {
                    found[elementKey] = element;
                }
            }
        }

        return found;
    }

    /// <inheritdoc />
    public void SetElement(RecordKey key, string field, string elementKey, SetElement? element)
    {
        if (element is null)
        {
            if (_elements.TryGetValue((key, field), out var elements))
            {
                elements.Remove(elementKey);
            }

            return;
        }

        if (!_elements.TryGetValue((key, field), out var set))
        {
            set = new SortedDictionary<string, SetElement>(StringComparer.Ordinal);
            _elements[(key, field)] = set;
        }

        set[elementKey] = element;
    }

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, SetElement>> ReadElements(RecordKey key, string field) =>
        _elements.TryGetValue((key, field), out var elements) ? [.. elements] : [];

    /// <inheritdoc />
    public Guid? GetAlias(RecordKey key) => _aliases.TryGetValue(key, out var canonical) ? canonical : null;

    /// <inheritdoc />
    public void SetAlias(RecordKey key, Guid? canonical) => SetValue(_aliases, key, canonical);

    /// <inheritdoc />
    public Guid? GetUnique(UniqueKey key) => _unique.TryGetValue(key, out var record) ? record : null;

    /// <inheritdoc />
    public void SetUnique(UniqueKey key, Guid? record) => SetValue(_unique, key, record);

    /// <inheritdoc />
    public IEnumerable<RecordData> ReadRecords() => _records.Values.Select(r => RecordSets.Materialize(this, r));

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<RecordKey, Guid>> ReadAliases() => _aliases;

    private static void SetValue<TKey>(IDictionary<TKey, Guid> map, TKey key, Guid? value)
    {
        if (value is { } v)
        {
            map[key] = v;
        }
        else
        {
            map.Remove(key);
        }
    }
}
