using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using Converge.Client.Live;
using Converge.Client.Typed;

namespace Converge.Client.Query;

/// <summary>
/// A query over a typed collection that runs in SQLite, over the collection's table: immutable, each method returns a
/// new query. <c>todos.Query().Where(t => !t.Done &amp;&amp; t.Due &lt; cutoff).OrderBy(t => t.Due).Skip(20).Take(20).ToListAsync()</c>.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
/// <remarks>
/// Filters and sort keys are translated when the query runs; what has no SQL translation throws
/// <see cref="NotSupportedException"/> naming the expression (nothing is ever filtered in memory). Captured variables
/// are read once per run. Strings compare and sort ordinally; enums by their number (stored by name); decimals and
/// instants by value; records that lack a field match and sort as the value the property reads as. See docs/client.md, "Querying".
/// </remarks>
public sealed class ReplicaQuery<[DynamicallyAccessedMembers(RecordShape.Members)] T>
    where T : class
{
    private readonly ReplicaCollection<T> _collection;

    internal ReplicaQuery(ReplicaCollection<T> collection, QueryModel model)
    {
        _collection = collection;
        Model = model;
    }

    internal QueryModel Model { get; }

    /// <summary>Keeps the records for which <paramref name="predicate"/> holds (with the filters before it).</summary>
    public ReplicaQuery<T> Where(Expression<Func<T, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return With(Model with { Filters = Model.Filters.Add(predicate) }, paged: true);
    }

    /// <summary>Sorts by a field, smallest first (records without it where their default sorts; nulls first).</summary>
    public ReplicaQuery<T> OrderBy<TKey>(Expression<Func<T, TKey>> key) => Order(key, descending: false, then: false);

    /// <summary>Sorts by a field, largest first.</summary>
    public ReplicaQuery<T> OrderByDescending<TKey>(Expression<Func<T, TKey>> key) => Order(key, descending: true, then: false);

    /// <summary>Then by a field, smallest first.</summary>
    public ReplicaQuery<T> ThenBy<TKey>(Expression<Func<T, TKey>> key) => Order(key, descending: false, then: true);

    /// <summary>Then by a field, largest first.</summary>
    public ReplicaQuery<T> ThenByDescending<TKey>(Expression<Func<T, TKey>> key) => Order(key, descending: true, then: true);

    /// <summary>Skips records (after any earlier Skip and Take).</summary>
    public ReplicaQuery<T> Skip(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var take = Model.Take is { } taken ? Math.Max(0, taken - count) : (int?)null;
        return new ReplicaQuery<T>(_collection, Model with { Skip = Model.Skip + count, Take = take });
    }

    /// <summary>Takes at most <paramref name="count"/> records.</summary>
    public ReplicaQuery<T> Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new ReplicaQuery<T>(_collection, Model with { Take = Math.Min(count, Model.Take ?? int.MaxValue) });
    }

    /// <summary>Projects each record: only the fields <paramref name="selector"/> reads are loaded.</summary>
    public ReplicaProjection<T, TResult> Select<TResult>(Expression<Func<T, TResult>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new ReplicaProjection<T, TResult>(_collection, Model, selector);
    }

    /// <summary>The records, in the query's order (then by id). Returned instances are tracked for <see cref="ReplicaCollection{T}.UpdateAsync(T, CancellationToken)"/>.</summary>
    /// <exception cref="NotSupportedException">A filter or sort key has no SQL translation.</exception>
    public Task<IReadOnlyList<T>> ToListAsync(CancellationToken cancellationToken = default) => _collection.ListAsync(Model, null, cancellationToken);

    /// <summary>The first record in the query's order, or null.</summary>
    public async Task<T?> FirstOrDefaultAsync(CancellationToken cancellationToken = default) =>
        (await Take(1).ToListAsync(cancellationToken).ConfigureAwait(false)) is [var first, ..] ? first : null;

    /// <summary>How many records the query gives.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) => _collection.CountAsync(Model, cancellationToken);

    /// <summary>Whether the query gives any record.</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => _collection.AnyAsync(Model, cancellationToken);

    /// <summary>
    /// The query, live: its result now, then a fresh one after each commit that touched the collection (a local write,
    /// a sync, a reload), only when it changed. Commits that come in a burst give one result. Ends when the replica closes.
    /// </summary>
    /// <exception cref="NotSupportedException">A filter or sort key has no SQL translation (at the first result).</exception>
    public IAsyncEnumerable<IReadOnlyList<T>> Watch(CancellationToken cancellationToken = default) =>
        _collection.WatchAsync(ToListAsync, _collection.LiveComparer, cancellationToken);

    /// <summary>
    /// <see cref="Watch"/> as a list a view binds to (MAUI, WPF, Avalonia): it holds the first result when the task
    /// completes, and applies each fresh one as the changes that make it, raised on <paramref name="context"/>.
    /// </summary>
    /// <param name="context">Where the list changes and raises its events; default the context current at the call (the UI thread's).</param>
    /// <param name="cancellationToken">Cancels the first result's wait, and then stops the list as disposing it does.</param>
    public Task<LiveList<T>> ToObservableAsync(SynchronizationContext? context = null, CancellationToken cancellationToken = default) =>
        LiveList<T>.CreateAsync(Watch(CancellationToken.None), _collection.LiveKey, _collection.LiveComparer, context ?? SynchronizationContext.Current, cancellationToken);

    private ReplicaQuery<T> Order(LambdaExpression key, bool descending, bool then)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (then && Model.Orderings.Count == 0)
        {
            throw new InvalidOperationException("ThenBy follows an OrderBy.");
        }

        var ordering = new QueryOrdering(key, descending);
        return With(Model with { Orderings = then ? Model.Orderings.Add(ordering) : [ordering] }, paged: true);
    }

    private ReplicaQuery<T> With(QueryModel model, bool paged)
    {
        if (paged && (Model.Skip != 0 || Model.Take is not null))
        {
            // LINQ would filter or sort the page; SQL here filters and sorts before paging. Say so instead of giving another answer.
            throw new NotSupportedException("Where and OrderBy come before Skip and Take in a replica query.");
        }

        return new ReplicaQuery<T>(_collection, model);
    }
}
