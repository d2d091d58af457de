namespace Converge.Client.Typed;

/// <summary>Records created apart with the same value of this property are one entity (<c>unique: identity</c>).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class UniqueIdentityAttribute : Attribute;
