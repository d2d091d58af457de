using System.Linq.Expressions;
using System.Reflection;
using Converge.Sqlite;

namespace Converge.Client.Query;

/// <summary>
/// A record's field as one side of a comparison: <c>t.Due</c>, possibly through <c>.Value</c> and conversions the
/// compiler adds (nullable lifting, numeric widening, an enum to its underlying number).
/// </summary>
/// <param name="Member">The <c>t.X</c> node itself (replaced by the field's baseline to learn what a record without the field gives).</param>
/// <param name="Field">The field; null for the id.</param>
/// <param name="Sql">The column's SQL.</param>
/// <param name="Kind">The column's kind.</param>
/// <param name="Enum">The enum type when the property is an enum (stored by name).</param>
/// <param name="AsNumber">True when the enum was converted to its number, so it compares by number.</param>
internal sealed record QueryOperand(MemberExpression Member, TypedField? Field, string Sql, ColumnKind Kind, Type? Enum, bool AsNumber)
{
    /// <summary>The operand <paramref name="expression"/> is, or null when it is not one of the record's fields.</summary>
    /// <exception cref="NotSupportedException">It reads a property of the record that is not a stored field.</exception>
    public static QueryOperand? Of(Expression expression, ParameterExpression record, QueryFields fields, CollectionTable? table)
    {
        var asNumber = false;
        while (true)
        {
            if (expression is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked, Method: null } convert)
            {
                asNumber |= Underlying(convert.Operand.Type).IsEnum && !Underlying(convert.Type).IsEnum;
                expression = convert.Operand;
            }
            else if (expression is MemberExpression { Member.Name: "Value", Expression: { } inner } && Nullable.GetUnderlyingType(inner.Type) is not null)
            {
                expression = inner;
            }
            else
            {
                break;
            }
        }

        if (expression is not MemberExpression { Member: PropertyInfo property, Expression: ParameterExpression parameter } member || parameter != record)
        {
            return null;
        }

        if (property == fields.Id)
        {
            return new QueryOperand(member, null, "id", ColumnKind.Uuid, null, false);
        }

        var field = fields.Find(property) ?? throw new NotSupportedException($"'{member}' is not a stored field of {fields.RecordType.Name}, so SQLite cannot compare it.");
        var type = Underlying(property.PropertyType);
        return new QueryOperand(member, field, QueryFields.ColumnOf(table, field.Name), QueryFields.KindOf(table, field), type.IsEnum ? type : null, asNumber);
    }

    /// <summary>A type without its <see cref="Nullable{T}"/>.</summary>
    public static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>True when a record without the field reads as null (or the operand is the id, which is never absent).</summary>
    public bool BaselineIsNull => Field is null || Field.Baseline is null;
}
