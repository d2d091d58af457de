namespace Converge.Client.Typed;

/// <summary>The record a typed write is about, and where its action ids come from.</summary>
/// <param name="Ids">Makes action ids.</param>
/// <param name="Collection">The collection.</param>
/// <param name="Id">The record's id.</param>
internal readonly record struct RecordRef(Func<Guid> Ids, string Collection, Guid Id);
