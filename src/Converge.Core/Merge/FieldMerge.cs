using System.Collections.Immutable;
using System.Text.Json;
using Converge.Core.Clock;
using Converge.Core.Export;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>Merges written field values into a record's field states: registers last-writer-wins, sets element-wise, counters by adding.</summary>
internal sealed class FieldMerge
{
    private readonly RecordData _record;
    private readonly CollectionSchema _schema;
    private readonly HybridTimestamp _hlc;
    private readonly ApplyLimits _limits;
    private readonly ImmutableSortedDictionary<string, FieldState>.Builder _fields;
    private readonly List<Conflict> _conflicts = [];

    private FieldMerge(RecordData record, CollectionSchema schema, HybridTimestamp hlc, ApplyLimits limits)
    {
        _record = record;
        _schema = schema;
        _hlc = hlc;
        _limits = limits;
        _fields = record.Fields.ToBuilder();
    }

    /// <summary>True when any field state changed.</summary>
    public bool Changed { get; private set; }

    /// <summary>The writes that lost to newer ones.</summary>
    public IReadOnlyList<Conflict> Conflicts => _conflicts;

    /// <summary>Why the merge is refused (a counter out of range, a set past its limit); null when it is not.</summary>
    public Rejection? Rejection { get; private set; }

    /// <summary>Merges <paramref name="values"/> written at <paramref name="hlc"/> into <paramref name="record"/>.</summary>
    /// <param name="mode">How sets and unnamed fields are treated: an update replaces sets; a create merges into them (adds its elements); an overwrite replaces them and clears what it does not name.</param>
    public static FieldMerge Run(RecordData record, CollectionSchema schema, IReadOnlyDictionary<string, JsonElement> values, HybridTimestamp hlc, MergeMode mode, ApplyLimits limits)
    {
        var overwrite = mode == MergeMode.Overwrite;
        var merge = new FieldMerge(record, schema, hlc, limits);
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

    /// <summary>The record with the merged fields.</summary>
    public RecordData Result() => Changed ? _record with { Fields = _fields.ToImmutable() } : _record;

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

        AddAll(name, declared, set with { Cleared = _hlc }, value);
    }

    private void AddAll(string name, FieldSchema declared, SetState set, JsonElement value)
    {
        var elements = set.Elements.ToBuilder();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                var key = ValueKeys.Of(declared.Type, element);
                var current = elements.GetValueOrDefault(key) ?? new SetElement(element, HybridTimestamp.MinValue, HybridTimestamp.MinValue);
                if (current.Added < _hlc)
                {
                    elements[key] = current with { Added = _hlc };
                }
            }
        }

        if (elements.Count > _limits.MaxSetElements && elements.Count > set.Elements.Count)
        {
            Rejection ??= new Rejection(RejectionCodes.SetTooLarge, $"'{_record.Key.Collection}.{name}' would hold {elements.Count} distinct elements; at most {_limits.MaxSetElements} are allowed in one set.");
            return;
        }

        var merged = set with { Elements = elements.ToImmutable() };
        if (!ReferenceEquals(merged.Elements, set.Elements) || _fields.GetValueOrDefault(name) != merged)
        {
            _fields[name] = merged;
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
