using System.Linq.Expressions;
using Converge.Client.Query;

namespace Converge.Client.Tests.Query;

/// <summary>A sort key of the property test, as a replica query applies it and as LINQ to objects does (strings ordinally).</summary>
internal sealed class SampleOrder
{
    private readonly Func<ReplicaQuery<Sample>, bool, bool, ReplicaQuery<Sample>> _query;
    private readonly Func<IEnumerable<Sample>, bool, bool, IOrderedEnumerable<Sample>> _linq;

    private SampleOrder(string name, Func<ReplicaQuery<Sample>, bool, bool, ReplicaQuery<Sample>> query, Func<IEnumerable<Sample>, bool, bool, IOrderedEnumerable<Sample>> linq)
    {
        Name = name;
        _query = query;
        _linq = linq;
    }

    public static IReadOnlyList<SampleOrder> All { get; } =
    [
        Of("Key", t => t.Key, StringComparer.Ordinal),
        Of("Title", t => t.Title, StringComparer.Ordinal),
        Of("Rank", t => t.Rank),
        Of("Size", t => t.Size),
        Of("Weight", t => t.Weight),
        Of("Price", t => t.Price),
        Of("Discount", t => t.Discount),
        Of("Done", t => t.Done),
        Of("Flag", t => t.Flag),
        Of("Due", t => t.Due),
        Of("Seen", t => t.Seen),
        Of("Token", t => t.Token),
        Of("Level", t => t.Level),
        Of("Maybe", t => t.Maybe),
        Of("Visits", t => t.Visits),
        Of("Id", t => t.Id),
    ];

    public string Name { get; }

    public ReplicaQuery<Sample> Apply(ReplicaQuery<Sample> query, bool descending, bool then) => _query(query, descending, then);

    public IOrderedEnumerable<Sample> Apply(IEnumerable<Sample> records, bool descending, bool then) => _linq(records, descending, then);

    private static SampleOrder Of<TKey>(string name, Expression<Func<Sample, TKey>> key, IComparer<TKey>? comparer = null)
    {
        var compiled = key.Compile();
        comparer ??= Comparer<TKey>.Default;
        return new SampleOrder(
            name,
            (q, descending, then) => (then, descending) switch
            {
                (false, false) => q.OrderBy(key),
                (false, true) => q.OrderByDescending(key),
                (true, false) => q.ThenBy(key),
                _ => q.ThenByDescending(key),
            },
            (l, descending, then) => (then, descending) switch
            {
                (false, false) => l.OrderBy(compiled, comparer),
                (false, true) => l.OrderByDescending(compiled, comparer),
                (true, false) => ((IOrderedEnumerable<Sample>)l).ThenBy(compiled, comparer),
                _ => ((IOrderedEnumerable<Sample>)l).ThenByDescending(compiled, comparer),
            });
    }
}
