using System.Collections.Immutable;

namespace Converge.Core.Schema;

/// <summary>The schema of a stream: its collections by name. Immutable; grows only by <see cref="Merge"/>.</summary>
public sealed record StreamSchema(ImmutableSortedDictionary<string, CollectionSchema> Collections)
{
    /// <summary>The schema of a new stream: no collections.</summary>
    public static StreamSchema Empty { get; } = new(ImmutableSortedDictionary.Create<string, CollectionSchema>(StringComparer.Ordinal));

    /// <summary>Finds a collection's declaration.</summary>
    public CollectionSchema? FindCollection(string name) => Collections.GetValueOrDefault(name);

    /// <summary>
    /// Adds the collections and fields of <paramref name="addition"/>. Declaring what already exists, identically,
    /// changes nothing; declaring it differently is a <see cref="RejectionCodes.SchemaConflict"/>.
    /// </summary>
    internal SchemaMergeResult Merge(StreamSchema addition)
    {
        ArgumentNullException.ThrowIfNull(addition);
        if (SchemaRules.Validate(addition) is { } invalid)
        {
            return SchemaMergeResult.Rejected(invalid);
        }

        var collections = Collections.ToBuilder();
        var changed = false;
        foreach (var (name, added) in addition.Collections)
        {
            if (!collections.TryGetValue(name, out var existing))
            {
                collections[name] = added;
                changed = true;
                continue;
            }

            if (existing.Owned != added.Owned || existing.Open != added.Open)
            {
                return SchemaMergeResult.Rejected(new Rejection(
                    RejectionCodes.SchemaConflict,
                    $"Collection '{name}' is declared owned={Flag(existing.Owned)}, open={Flag(existing.Open)}; it cannot change to owned={Flag(added.Owned)}, open={Flag(added.Open)}."));
            }

            var fields = existing.Fields.ToBuilder();
            foreach (var (fieldName, field) in added.Fields)
            {
                if (fields.TryGetValue(fieldName, out var current))
                {
                    if (current != field)
                    {
                        return SchemaMergeResult.Rejected(new Rejection(
                            RejectionCodes.SchemaConflict,
                            $"Field '{name}.{fieldName}' is declared {SchemaRules.Describe(current)}; it cannot change to {SchemaRules.Describe(field)}."));
                    }

                    continue;
                }

                if (existing.Open && (field.Unique != UniqueKind.None || field.Counter || field.IsSet))
                {
                    return SchemaMergeResult.Rejected(new Rejection(
                        RejectionCodes.SchemaConflict,
                        $"Field '{name}.{fieldName}' cannot be declared unique, a counter or a set after '{name}' was created open: its records may already hold plain values under that name."));
                }

                fields[fieldName] = field;
                changed = true;
            }

            collections[name] = existing with { Fields = fields.ToImmutable() };
        }

        return changed ? SchemaMergeResult.Changed(new StreamSchema(collections.ToImmutable())) : SchemaMergeResult.Unchanged(this);
    }

    /// <summary>True when both declare the same collections, identically.</summary>
    public bool SameAs(StreamSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Collections.Count == other.Collections.Count
            && Collections.All(c => other.Collections.TryGetValue(c.Key, out var o) && o.SameAs(c.Value));
    }

    private static string Flag(bool value) => value ? "true" : "false";
}
