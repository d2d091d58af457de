using System.Reflection;
using Converge.Core.Schema;

namespace Converge.Client.Query;

/// <summary>A property of a record type as a query sees it: its field, its declaration, and the value it reads as when the record does not hold it.</summary>
/// <param name="Name">The field name (the column's name).</param>
/// <param name="Property">The property.</param>
/// <param name="Schema">The field's declaration.</param>
/// <param name="Baseline">What the property holds after a read of a record without the field (null column): a new instance's value, an empty set.</param>
internal sealed record TypedField(string Name, PropertyInfo Property, FieldSchema Schema, object? Baseline);
