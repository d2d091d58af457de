namespace Converge.Client.Typed;

/// <summary>No two live records may hold the same value of this property (<c>unique: value</c>); a write that would is rejected.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class UniqueValueAttribute : Attribute;
