using System.Collections.Immutable;
using Converge.Core.Merge;
using Converge.Core.Schema;

namespace Converge.Core.State;

/// <summary>
/// Passes reads and writes through to a state and keeps the prior image of everything written,
/// so the writes of one action can be undone. Call <see cref="TakeJournal"/> after each action.
/// </summary>
/// <remarks>
/// Not thread-safe. Records read through it since the last <see cref="TakeJournal"/> are remembered, so a write after
/// a read (what every rule does) takes its prior image without reading the record again; writes to the inner state
/// must go through this wrapper until then.
/// </remarks>
internal sealed class JournalingRecordState : IRecordState
{
    private readonly IRecordState _inner;
    private readonly List<JournalEntry> _entries = [];
    private readonly HashSet<object> _touched = [];
    private readonly HashSet<RecordKey> _touchedRecords = [];
    private readonly Dictionary<RecordKey, RecordData?> _read = [];
    private readonly HashSet<(RecordKey, string, string)> _touchedElements = [];
    private readonly Dictionary<(RecordKey, string, string), SetElement?> _readElements = [];

    /// <summary>Wraps a state.</summary>
    public JournalingRecordState(IRecordState inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>Returns the journal of the writes since the last call, and starts a new one.</summary>
    public UndoJournal TakeJournal()
    {
        var journal = _entries.Count == 0 ? UndoJournal.Empty : new UndoJournal([.. _entries]);
        _entries.Clear();
        _touched.Clear();
        _touchedRecords.Clear();
        _read.Clear();
        _touchedElements.Clear();
        _readElements.Clear();
        return journal;
    }

    /// <inheritdoc />
    public StreamSchema GetSchema() => _inner.GetSchema();

    /// <inheritdoc />
    public void SetSchema(StreamSchema schema)
    {
        if (_touched.Add(typeof(StreamSchema)))
        {
            _entries.Add(new SchemaImage(_inner.GetSchema()));
        }

        _inner.SetSchema(schema);
    }

    /// <inheritdoc />
    public RecordData? GetRecord(RecordKey key)
    {
        var record = _inner.GetRecord(key);
        if (!_touchedRecords.Contains(key))
        {
            _read[key] = record;
        }

        return record;
    }

    /// <inheritdoc />
    public void SetRecord(RecordKey key, RecordData? record)
    {
        if (record is not null && record.Fields.Values.Any(f => f is SetState { Elements: not null }))
        {
            // The elements it would replace are not journaled one by one, so the write could not be undone.
            throw new ArgumentException("A journaled write takes set headers only; write elements with SetElement.", nameof(record));
        }

        if (_touchedRecords.Add(key))
        {
            _entries.Add(new RecordImage(key, _read.TryGetValue(key, out var before) ? before : _inner.GetRecord(key)));
        }

        _inner.SetRecord(key, record);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, SetElement> GetElements(RecordKey key, string field, IReadOnlyCollection<string> elementKeys)
    {
        ArgumentNullException.ThrowIfNull(elementKeys);
        var found = _inner.GetElements(key, field, elementKeys);
        foreach (var elementKey in elementKeys)
        {
            if (!_touchedElements.Contains((key, field, elementKey)))
            {
                _readElements[(key, field, elementKey)] = found.GetValueOrDefault(elementKey);
            }
        }

        return found;
    }

    /// <inheritdoc />
    public void SetElement(RecordKey key, string field, string elementKey, SetElement? element)
    {
        if (_touchedElements.Add((key, field, elementKey)))
        {
            var before = _readElements.TryGetValue((key, field, elementKey), out var read) ? read : _inner.GetElements(key, field, [elementKey]).GetValueOrDefault(elementKey);
            _entries.Add(new ElementImage(key, field, elementKey, before));
        }

        _inner.SetElement(key, field, elementKey, element);
    }

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, SetElement>> ReadElements(RecordKey key, string field) => _inner.ReadElements(key, field);

    /// <inheritdoc />
    public Guid? GetAlias(RecordKey key) => _inner.GetAlias(key);

    /// <inheritdoc />
    public void SetAlias(RecordKey key, Guid? canonical)
    {
        if (_touched.Add(("alias", key)))
        {
            _entries.Add(new AliasImage(key, _inner.GetAlias(key)));
        }

        _inner.SetAlias(key, canonical);
    }

    /// <inheritdoc />
    public Guid? GetUnique(UniqueKey key) => _inner.GetUnique(key);

    /// <inheritdoc />
    public void SetUnique(UniqueKey key, Guid? record)
    {
        if (_touched.Add(key))
        {
            _entries.Add(new UniqueImage(key, _inner.GetUnique(key)));
        }

        _inner.SetUnique(key, record);
    }
}
