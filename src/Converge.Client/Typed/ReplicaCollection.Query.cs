using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Converge.Client.Query;
using Converge.Core.Schema;
using Converge.Sqlite;

namespace Converge.Client.Typed;

/// <summary>The query surface of a typed collection: translated to SQL over the collection's table.</summary>
public sealed partial class ReplicaCollection<T>
{
    private QueryFields? _queryFields;
    private int _indexesMade;

    /// <summary>A query over this collection's records, run in SQLite (see <see cref="ReplicaQuery{T}"/>).</summary>
    public ReplicaQuery<T> Query() => new(this, QueryModel.Empty);

    /// <summary>The record whose unique field <paramref name="field"/> holds <paramref name="value"/>, or null (an index lookup).</summary>
    /// <exception cref="ArgumentException">The property is not a unique field.</exception>
    public Task<T?> FindByAsync<TValue>(Expression<Func<T, TValue>> field, TValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(field);
        var operand = TypedQuery.FieldOf(field, QueryFields);
        if (operand.Field is { Schema.Unique: UniqueKind.None })
        {
            throw new ArgumentException($"'{field}' is not a unique field of {typeof(T).Name}: FindByAsync looks up [UniqueIdentity] or [UniqueValue] fields (use Query().Where for others).", nameof(field));
        }

        var parameter = field.Parameters[0];
        var predicate = Expression.Lambda<Func<T, bool>>(Expression.Equal(field.Body, Expression.Constant(value, typeof(TValue))), parameter);
        return Query().Where(predicate).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>How queries see <typeparamref name="T"/>'s fields.</summary>
    internal QueryFields QueryFields => _queryFields ??= MakeQueryFields();

    internal Task<IReadOnlyList<T>> ListAsync(QueryModel model, LambdaExpression? projection, CancellationToken cancellationToken)
    {
        var fields = QueryFields;
        var read = projection is null ? null : FieldsRead(projection, fields);
        return RunAsync<IReadOnlyList<T>>(
            (connection, table) =>
            {
                if (TypedQuery.Translate(model, fields, table) is not { } query)
                {
                    return [];
                }

                var views = TypedQuery.Views(connection, query, read is null ? fields : new QueryFields(fields.RecordType, fields.Id, read, fields.Options));
                return [.. views.Select(v => read is null ? Read(v) : _codec.Read(v))];
            },
            cancellationToken);
    }

    internal Task<long> CountAsync(QueryModel model, CancellationToken cancellationToken) =>
        RunAsync((connection, table) => TypedQuery.Translate(model, QueryFields, table) is { } query ? TypedQuery.Count(connection, query) : 0, cancellationToken);

    internal Task<bool> AnyAsync(QueryModel model, CancellationToken cancellationToken) =>
        RunAsync((connection, table) => TypedQuery.Translate(model, QueryFields, table) is { } query && TypedQuery.Any(connection, query), cancellationToken);

    private async Task<TResult> RunAsync<TResult>(Func<Microsoft.Data.Sqlite.SqliteConnection, CollectionTable?, TResult> run, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _indexesMade) == 0)
        {
            var indexed = _shape.Fields.Where(f => f.Value.GetCustomAttribute<IndexedAttribute>() is not null).Select(f => (IReadOnlyList<string>)[f.Key]).ToList();
            if (indexed.Count == 0 || await _replica.EnsureIndexesAsync(Name, indexed, cancellationToken).ConfigureAwait(false))
            {
                Volatile.Write(ref _indexesMade, 1);
            }
        }

        return await _replica.ReadTableAsync(Name, run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fields a projection reads; null when it uses the record itself (then every field is loaded).</summary>
    private static List<TypedField>? FieldsRead(LambdaExpression projection, QueryFields fields)
    {
        var finder = new FieldFinder(projection.Parameters[0], fields);
        finder.Visit(projection.Body);
        return finder.WholeRecord ? null : [.. finder.Found];
    }

    private QueryFields MakeQueryFields()
    {
        var empty = JsonDocument.Parse("[]").RootElement;
        var fields = _shape.Fields.Select(f =>
        {
            var schema = _shape.Schema.Fields[f.Key];
            var baseline = schema.IsSet ? empty : _codec.Baseline[f.Key];
            return new TypedField(f.Key, f.Value, schema, BaselineOf(baseline, f.Value.PropertyType));
        });
        return new QueryFields(typeof(T), _shape.Id, fields, _codec.Options);
    }

    private object? BaselineOf(JsonElement baseline, Type type)
    {
        try
        {
            return baseline.Deserialize(_codec.Options.GetTypeInfo(type));
        }
        catch (Exception e) when (e is NotSupportedException or JsonException)
        {
            // A set type the serializer cannot make from nothing: what such a record holds stays unknown to the translator (null).
            return null;
        }
    }

    private sealed class FieldFinder(ParameterExpression record, QueryFields fields) : ExpressionVisitor
    {
        public HashSet<TypedField> Found { get; } = [];

        public bool WholeRecord { get; private set; }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression == record && node.Member is PropertyInfo property)
            {
                if (fields.Find(property) is { } field)
                {
                    Found.Add(field);
                }
                else if (property != fields.Id)
                {
                    WholeRecord = true;
                }

                return node;
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            WholeRecord |= node == record;
            return node;
        }
    }
}
