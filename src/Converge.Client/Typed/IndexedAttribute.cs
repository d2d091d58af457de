namespace Converge.Client.Typed;

/// <summary>
/// Indexes a property's field in this replica's table of the collection, created when the typed collection is first
/// queried. Local: never synced, invisible to other replicas. Unique fields are indexed already.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IndexedAttribute : Attribute;
