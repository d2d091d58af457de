using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using Converge.Client.Live;
using Converge.Client.Typed;

namespace Converge.Client.Query;

/// <summary>A replica query with a projection: the fields the selector reads are loaded from SQLite, then the selector runs on them.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <typeparam name="TResult">What each record is projected to.</typeparam>
public sealed class ReplicaProjection<[DynamicallyAccessedMembers(RecordShape.Members)] T, TResult>
    where T : class
{
    private readonly ReplicaCollection<T> _collection;
    private readonly QueryModel _model;
    private readonly Expression<Func<T, TResult>> _selector;
    private readonly Lazy<Func<T, TResult>> _compiled;

    internal ReplicaProjection(ReplicaCollection<T> collection, QueryModel model, Expression<Func<T, TResult>> selector)
    {
        _collection = collection;
        _model = model;
        _selector = selector;
        _compiled = new Lazy<Func<T, TResult>>(() => selector.Compile(preferInterpretation: true));
    }

    /// <summary>The projected records, in the query's order.</summary>
    public async Task<IReadOnlyList<TResult>> ToListAsync(CancellationToken cancellationToken = default)
    {
        var records = await _collection.ListAsync(_model, _selector, cancellationToken).ConfigureAwait(false);
        var select = _compiled.Value;
        return [.. records.Select(select)];
    }

    /// <summary>The first projected record, or the default of <typeparamref name="TResult"/>.</summary>
    public async Task<TResult?> FirstOrDefaultAsync(CancellationToken cancellationToken = default) =>
        (await _collection.ListAsync(_model with { Take = Math.Min(1, _model.Take ?? 1) }, _selector, cancellationToken).ConfigureAwait(false)) is [var first, ..] ? _compiled.Value(first) : default;

    /// <summary>How many records the query gives.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) => _collection.CountAsync(_model, cancellationToken);

    /// <summary>Whether the query gives any record.</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => _collection.AnyAsync(_model, cancellationToken);

    /// <summary>The projection, live: as <see cref="ReplicaQuery{T}.Watch"/>, results compared by value.</summary>
    public IAsyncEnumerable<IReadOnlyList<TResult>> Watch(CancellationToken cancellationToken = default) =>
        _collection.WatchAsync(ToListAsync, EqualityComparer<TResult>.Default, cancellationToken);

    /// <summary>The projection as a bound list: as <see cref="ReplicaQuery{T}.ToObservableAsync"/>, items matched by value.</summary>
    public Task<LiveList<TResult>> ToObservableAsync(SynchronizationContext? context = null, CancellationToken cancellationToken = default) =>
        LiveList<TResult>.CreateAsync(Watch(CancellationToken.None), static item => item, EqualityComparer<TResult>.Default, context ?? SynchronizationContext.Current, cancellationToken);
}
