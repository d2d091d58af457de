using System.Linq.Expressions;
using System.Reflection;

namespace Converge.Client.Query;

/// <summary>Evaluates the parts of a query that do not depend on the record (captured variables, constants, calls), once per translation.</summary>
internal static class ClosedValue
{
    /// <summary>True when <paramref name="expression"/> does not read <paramref name="record"/>.</summary>
    public static bool IsClosed(Expression expression, ParameterExpression record) => !new Finder(record).Finds(expression);

    /// <summary>The value of a closed expression.</summary>
    public static object? Evaluate(Expression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        switch (expression)
        {
            case ConstantExpression constant:
                return constant.Value;
            case MemberExpression { Member: FieldInfo field, Expression: var target } when target is null || (!IsNullable(target.Type) && Evaluate(target) is not null):
                return field.GetValue(target is null ? null : Evaluate(target));
            case MemberExpression { Member: PropertyInfo property, Expression: var target } when property.GetIndexParameters().Length == 0 && (target is null || (!IsNullable(target.Type) && Evaluate(target) is not null)):
                return property.GetValue(target is null ? null : Evaluate(target));
            case UnaryExpression { NodeType: ExpressionType.Convert, Method: null } convert when Nullable.GetUnderlyingType(convert.Type) == convert.Operand.Type:
                return Evaluate(convert.Operand);
            default:
                // Interpreted, not compiled: runs once per query, and needs no dynamic code.
                return Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile(preferInterpretation: true)();
        }
    }

    private static bool IsNullable(Type type) => Nullable.GetUnderlyingType(type) is not null;

    private sealed class Finder(ParameterExpression record) : ExpressionVisitor
    {
        private bool _found;

        public bool Finds(Expression expression)
        {
            Visit(expression);
            return _found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found |= node == record;
            return node;
        }
    }
}
