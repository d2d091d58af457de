namespace Converge.Client.Typed;

/// <summary>This <c>long</c> or <c>decimal</c> property is a counter: changed by increments, merged by adding them up.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class CounterAttribute : Attribute;
