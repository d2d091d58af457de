namespace Converge.Core.State;

/// <summary>The merge state of one field of a record: a register, a set or a counter.</summary>
internal abstract record FieldState;
