using Converge.Core.Clock;

namespace Converge.Sqlite;

/// <summary>One field's entry in a record's merge metadata.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Tag">What the entry holds and where the value is.</param>
/// <param name="Stamp">A register's stamp, or a set's latest replacement (<see cref="HybridTimestamp.MinValue"/> if none).</param>
/// <param name="Count">A set's present-element count.</param>
/// <param name="Exact">The exact JSON text (UTF-8) of a register's value or a counter's total, when the entry holds it.</param>
internal readonly record struct MetaField(string Name, MetaTag Tag, HybridTimestamp Stamp, int Count, byte[]? Exact);
