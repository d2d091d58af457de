using System.Collections.Immutable;
using System.Text.Json;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>
/// Merges written field values into a record's field states: registers last-writer-wins, sets element-wise, counters
/// by adding. Set elements are read from the state and written back one by one (by <see cref="WriteElements"/>, once
/// the record is known to pass), never as a whole set.
/// </summary>
internal sealed class FieldMerge
{
    private readonly IRecordState _state;
    private readonly RecordData _record;
    private readonly CollectionSchema _schema;
    private readonly HybridTimestamp _hlc;
    private readonly ApplyLimits _limits;
    private readonly bool _fresh;
    private readonly ImmutableSortedDictionary<string, FieldState>.Builder _fields;
    private readonly List<Conflict> _conflicts = [];
    private readonly List<(string Field, string Key, SetElement Element)> _elements = [];

    private FieldMerge(IRecordState state, RecordData record, CollectionSchema schema, HybridTimestamp hlc, ApplyLimits limits, bool fresh)
    {
        _state = state;
        _record = record;
        _schema = schema;
        _hlc = hlc;
        _limits = limits;
        _fresh = fresh;
        _fields = record.Fields.ToBuilder();
    }

    /// <summary>True when any field state changed.</summary>
    public bool Changed { get; private set; }

    /// <summary>The writes that lost to newer ones.</summary>
    public IReadOnlyList<Conflict> Conflicts => _conflicts;

    /// <summary>Why the merge is refused (a counter out of range, a set past its limit); null when it is not.</summary>
    public Rejection? Rejection { get; private set; }

    /// <summary>Merges <paramref name="values"/> written at <paramref name="hlc"/> into <paramref name="record"/>.</summary>
    /// <param name="state">Where the record's set elements are read from (nothing is written to it here).</param>
    /// <param name="record">The record as stored (set headers only); for a new record, one with no fields.</param>
    /// <param name="schema">The collection's schema.</param>
    /// <param name="values">The values written.</param>
    /// <param name="hlc">Their stamp.</param>
    /// <param name="mode">How sets and unnamed fields are treated: an update replaces sets; a create merges into them (adds its elements); an overwrite replaces them and clears what it does not name.</param>
    /// <param name="limits">How large a set may grow.</param>
    /// <param name="fresh">True when the record is new, so it has no stored elements to read.</param>
    public static FieldMerge Run(IRecordState state, RecordData record, CollectionSchema schema, IReadOnlyDictionary<string, JsonElement> values, HybridTimestamp hlc, MergeMode mode, ApplyLimits limits, bool fresh = false)
    {
        var overwrite = mode == MergeMode.Overwrite;
        var merge = new FieldMerge(state, record, schema, hlc, limits, fresh);
        foreach (var (name, value) in values)
        {
            var declared = schema.FindField(name)!;
            if (declared.Counter)
            {
                merge.AddToCounter(name, declared, declared.Type == FieldType.Long ? value.GetInt64() : value.GetDecimal());
            }
            else if (declared.IsSet && mode == MergeMode.Create)
            {
                merge.AddAll(name, declared, merge._fields.GetValueOrDefault(name) as SetState ?? SetState.Empty, value);
            }
            else if (declared.IsSet)
            {
                merge.AssignSet(name, declared, value);
            }
            else
            {
                merge.WriteRegister(name, value);
            }
        }

        if (overwrite)
        {
            merge.ClearUnnamed(values);
        }

        return merge;
    }

    /// <summary>The record with the merged fields (set headers only).</summary>
    public RecordData Result() => Changed ? _record with { Fields = _fields.ToImmutable() } : _record;

    /// <summary>Writes the set elements the merge changed, under the result's key.</summary>
    public void WriteElements(IRecordState state)
    {
        foreach (var (field, key, element) in _elements)
        {
            state.SetElement(_record.Key, field, key, element);
        }
    }

    /// <summary>Adds an amount to a counter field of <paramref name="state"/>, or says why it cannot.</summary>
    public static (CounterState? State, Rejection? Rejection) Add(CounterState? state, FieldSchema counter, decimal amount, string where)
    {
        try
        {
            var total = (state?.Total ?? 0m) + amount;
            if (counter.Type == FieldType.Long && (total > long.MaxValue || total < long.MinValue))
            {
                return (null, new Rejection(RejectionCodes.CounterOverflow, $"'{where}' would leave the range of a long."));
            }

            return (new CounterState(total), null);
        }
        catch (OverflowException)
        {
            return (null, new Rejection(RejectionCodes.CounterOverflow, $"'{where}' would leave the range of a decimal."));
        }
    }

    private void AddToCounter(string name, FieldSchema declared, decimal amount)
    {
        if (amount == 0m && _fields.GetValueOrDefault(name) is CounterState)
        {
            return;
        }

        var (state, rejection) = Add(_fields.GetValueOrDefault(name) as CounterState, declared, amount, $"{_record.Key.Collection}.{name}");
        Rejection ??= rejection;
        if (state is not null)
        {
            _fields[name] = state;
            Changed = true;
        }
    }

    private void WriteRegister(string name, JsonElement value)
    {
        if (_fields.GetValueOrDefault(name) is RegisterState current && current.Hlc >= _hlc)
        {
            if (!CanonicalJson.Same(current.Value, value))
            {
                _conflicts.Add(new Conflict(ConflictKind.LostToNewerWrite, _record.Key.Collection, _record.Key.Id, name, value, current.Value, current.Hlc));
            }

            return;
        }

        _fields[name] = new RegisterState(value, _hlc);
        Changed = true;
    }

    /// <summary>Replaces a set: the assignment's stamp becomes the set's replacement stamp, and its elements are added at it.</summary>
    private void AssignSet(string name, FieldSchema declared, JsonElement value)
    {
        var set = _fields.GetValueOrDefault(name) as SetState ?? SetState.Empty;
        if (declared.GrowOnly)
        {
            // A grow-only set never loses an element: assigning it only adds.
            AddAll(name, declared, set, value);
            return;
        }

        if (set.Cleared >= _hlc)
        {
            _conflicts.Add(new Conflict(ConflictKind.LostToNewerWrite, _record.Key.Collection, _record.Key.Id, name, value, null, set.Cleared));
            return;
        }

        // Every element older than the replacement drops out, so what stays present is counted over the whole set.
        var replaced = set with { Cleared = _hlc };
        var named = Named(name, declared, value);
        var elements = _fresh ? [] : _state.ReadElements(_record.Key, name).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        foreach (var (key, element) in named)
        {
            if (Added(elements.GetValueOrDefault(key), element) is { } next)
            {
                elements[key] = next;
                _elements.Add((name, key, next));
            }
        }

        Keep(name, set, replaced with { Count = elements.Values.Count(replaced.Contains) }, changed: true);
    }

    /// <summary>Adds the elements of a value to a set whose replacement stamp stays: only their own presence moves the count.</summary>
    private void AddAll(string name, FieldSchema declared, SetState set, JsonElement value)
    {
        var named = Named(name, declared, value);
        var stored = _fresh || named.Count == 0 ? new Dictionary<string, SetElement>() : _state.GetElements(_record.Key, name, named.Keys);
        var count = set.Count;
        var written = false;
        foreach (var (key, element) in named)
        {
            var current = stored.GetValueOrDefault(key);
            if (Added(current, element) is { } next)
            {
                count += (set.Contains(next) ? 1 : 0) - (current is not null && set.Contains(current) ? 1 : 0);
                _elements.Add((name, key, next));
                written = true;
            }
        }

        Keep(name, set, set with { Count = count }, written);
    }

    /// <summary>The elements of a set value by key, first written first (an element is at most the size limit).</summary>
    private Dictionary<string, JsonElement> Named(string name, FieldSchema declared, JsonElement value)
    {
        var named = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (ValueRules.CheckElementSize($"'{_record.Key.Collection}.{name}'", element, _limits) is { } tooLarge)
                {
                    Rejection ??= tooLarge;
                }

                named.TryAdd(ValueKeys.Of(declared.Type, element), element);
            }
        }

        return named;
    }

    /// <summary>The element added at this merge's stamp, or null when its latest add is already as new.</summary>
    private SetElement? Added(SetElement? current, JsonElement value) =>
        current is null ? new SetElement(value, _hlc, HybridTimestamp.MinValue)
        : current.Added < _hlc ? current with { Added = _hlc }
        : null;

    /// <summary>Takes the set's new header unless it grows the set past its limit.</summary>
    private void Keep(string name, SetState before, SetState after, bool changed)
    {
        if (after.Count > _limits.MaxSetElements && after.Count > before.Count)
        {
            Rejection ??= new Rejection(RejectionCodes.SetTooLarge, $"'{_record.Key.Collection}.{name}' would hold {after.Count} elements; at most {_limits.MaxSetElements} are allowed in one set.");
            return;
        }

        if (changed || _fields.GetValueOrDefault(name) != after)
        {
            _fields[name] = after;
            Changed = true;
        }
    }

    private void ClearUnnamed(IReadOnlyDictionary<string, JsonElement> named)
    {
        foreach (var (name, state) in _record.Fields)
        {
            if (named.ContainsKey(name))
            {
                continue;
            }

            if (state is RegisterState register && register.Hlc < _hlc && register.Value.ValueKind != JsonValueKind.Null)
            {
                _fields[name] = new RegisterState(CanonicalJson.Null, _hlc);
                Changed = true;
            }
            else if (state is SetState set && set.Cleared < _hlc && _schema.FindField(name) is { IsSet: true } declared)
            {
                AssignSet(name, declared, CanonicalJson.Null);
            }
        }
    }
}
