namespace Converge.Core.Merge;

/// <summary>An entry of a unique index: a collection, a field and the canonical JSON text of a value.</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Field">The unique field.</param>
/// <param name="Value">The value's canonical JSON text (see <see cref="Export.CanonicalJson"/>).</param>
internal readonly record struct UniqueKey(string Collection, string Field, string Value);
