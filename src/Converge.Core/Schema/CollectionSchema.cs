using System.Collections.Immutable;

namespace Converge.Core.Schema;

/// <summary>The declaration of a collection: its fields and whether its records are owned or open.</summary>
/// <param name="Owned">True when only the principal that created a record may change or delete it.</param>
/// <param name="Open">True when records may carry undeclared fields (untyped JSON, merged per field).</param>
/// <param name="Fields">The declared fields by name, in ordinal order.</param>
public sealed record CollectionSchema(bool Owned, bool Open, ImmutableSortedDictionary<string, FieldSchema> Fields)
{
    /// <summary>Finds a field's declaration; an open collection answers <see cref="FieldSchema.Undeclared"/> for any other name.</summary>
    public FieldSchema? FindField(string name) =>
        Fields.TryGetValue(name, out var field) ? field : Open ? FieldSchema.Undeclared : null;

    /// <summary>True when both declare the same flags and the same fields.</summary>
    public bool SameAs(CollectionSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Owned == other.Owned && Open == other.Open && Fields.Count == other.Fields.Count
            && Fields.All(f => other.Fields.TryGetValue(f.Key, out var o) && o == f.Value);
    }
}
