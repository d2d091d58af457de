namespace Converge.Client.Typed;

/// <summary>This set property only grows: elements can be added, never removed.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class GrowOnlyAttribute : Attribute;
