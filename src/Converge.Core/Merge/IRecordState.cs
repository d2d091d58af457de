using Converge.Core.Schema;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>
/// The state the merge engine reads and writes: the schema, records, aliases and unique indexes.
/// Every store implements it (the client's SQLite, the server's SQLite, PostgreSQL, memory).
/// </summary>
/// <remarks>
/// Reads see the writes made before them. Setters take null to remove an entry. The engine writes only
/// after it has decided to apply an action, so a rejected action leaves the state untouched.
/// </remarks>
internal interface IRecordState
{
    /// <summary>The stream's schema; <see cref="StreamSchema.Empty"/> before any schema action.</summary>
    StreamSchema GetSchema();

    /// <summary>Replaces the stream's schema.</summary>
    void SetSchema(StreamSchema schema);

    /// <summary>The record stored under this exact key (no alias resolution), or null; its sets are headers (no elements).</summary>
    RecordData? GetRecord(RecordKey key);

    /// <summary>
    /// Stores or (with null) removes the record under this key. Its set headers are kept; a set given materialized
    /// (with <see cref="SetState.Elements"/>) also replaces that set's stored elements with exactly those.
    /// </summary>
    void SetRecord(RecordKey key, RecordData? record);

    /// <summary>The stored elements of a set field among <paramref name="elementKeys"/>, by key (absent ones left out).</summary>
    IReadOnlyDictionary<string, SetElement> GetElements(RecordKey key, string field, IReadOnlyCollection<string> elementKeys);

    /// <summary>Stores or (with null) removes one element of a set field.</summary>
    void SetElement(RecordKey key, string field, string elementKey, SetElement? element);

    /// <summary>Every stored element of a set field, in ordinal key order.</summary>
    IEnumerable<KeyValuePair<string, SetElement>> ReadElements(RecordKey key, string field);

    /// <summary>The canonical id this key is an alias of, or null.</summary>
    Guid? GetAlias(RecordKey key);

    /// <summary>Makes the key an alias of a canonical id, or (with null) removes the alias.</summary>
    void SetAlias(RecordKey key, Guid? canonical);

    /// <summary>The live record that holds this unique value, or null.</summary>
    Guid? GetUnique(UniqueKey key);

    /// <summary>Records which live record holds this unique value, or (with null) frees it.</summary>
    void SetUnique(UniqueKey key, Guid? record);
}
