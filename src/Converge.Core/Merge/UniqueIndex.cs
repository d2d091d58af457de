using System.Text.Json;
using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>Keeps the unique indexes in step with a record's change, and refuses changes that would break them.</summary>
internal static class UniqueIndex
{
    /// <summary>
    /// Plans the index writes for a record going from <paramref name="before"/> (null when new) to
    /// <paramref name="after"/>, or says which value another live record already holds.
    /// </summary>
    public static Rejection? Plan(IRecordState state, CollectionSchema schema, RecordData? before, RecordData after, List<KeyValuePair<UniqueKey, Guid?>> writes)
    {
        foreach (var (name, field) in schema.Fields)
        {
            if (field.Unique == UniqueKind.None)
            {
                continue;
            }

            var oldKey = KeyOf(before, name, field);
            var newKey = after.IsDeleted ? null : KeyOf(after, name, field);
            if (oldKey == newKey)
            {
                continue;
            }

            if (newKey is { } key && state.GetUnique(key) is { } holder && holder != after.Key.Id)
            {
                return new Rejection(
                    RejectionCodes.UniqueViolation,
                    $"'{after.Key.Collection}.{name}' is unique and the value {Shorten(key.Value)} is already held by record {holder:D}.");
            }

            if (oldKey is { } old && state.GetUnique(old) == after.Key.Id)
            {
                writes.Add(new(old, null));
            }

            if (newKey is { } added)
            {
                writes.Add(new(added, after.Key.Id));
            }
        }

        return null;
    }

    /// <summary>Applies planned index writes.</summary>
    public static void Write(IRecordState state, List<KeyValuePair<UniqueKey, Guid?>> writes)
    {
        foreach (var (key, record) in writes)
        {
            state.SetUnique(key, record);
        }
    }

    /// <summary>The index key of a record's value for a field, or null when it holds none.</summary>
    public static UniqueKey? KeyOf(RecordData? record, string field, FieldSchema declared) =>
        record?.Fields.GetValueOrDefault(field) is RegisterState { Value.ValueKind: not JsonValueKind.Null } register
            ? new UniqueKey(record.Key.Collection, field, ValueKeys.Of(declared.Type, register.Value))
            : null;

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
