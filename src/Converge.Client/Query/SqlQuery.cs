using Converge.Sqlite;

namespace Converge.Client.Query;

/// <summary>A translated query over one visible table: condition, order and page, with its parameters.</summary>
/// <param name="Table">The collection's table.</param>
/// <param name="Where">The condition ("1" for none).</param>
/// <param name="Order">The ORDER BY terms, ending with the id (so pages are stable).</param>
/// <param name="Page">The LIMIT/OFFSET clause (bound), or empty.</param>
/// <param name="Parameters">The values bound.</param>
internal sealed record SqlQuery(CollectionTable Table, string Where, string Order, string Page, QueryParameters Parameters)
{
    /// <summary>The LIMIT/OFFSET clause of a page, its numbers bound.</summary>
    public static string PageOf(int skip, int? take, QueryParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return (skip, take) switch
        {
            (0, null) => "",
            (_, null) => $" LIMIT -1 OFFSET {parameters.Add((long)skip)}",
            _ => $" LIMIT {parameters.Add((long)take.Value)} OFFSET {parameters.Add((long)skip)}",
        };
    }

    /// <summary>SELECT of the id and the given columns (and <c>$extra</c>).</summary>
    public string Select(IEnumerable<string> fields, bool extra) =>
        $"SELECT id{string.Concat(fields.Select(f => $", \"{f}\""))}{(extra ? ", \"$extra\"" : "")} FROM \"{Table.Name}\" WHERE {Where} ORDER BY {Order}{Page}";

    /// <summary>How many rows the query gives (its page included).</summary>
    public string Count() => Page.Length == 0
        ? $"SELECT count(*) FROM \"{Table.Name}\" WHERE {Where}"
        : $"SELECT count(*) FROM (SELECT 1 FROM \"{Table.Name}\" WHERE {Where} ORDER BY {Order}{Page})";

    /// <summary>Whether the query gives a row.</summary>
    public string Any() => $"SELECT EXISTS (SELECT 1 FROM \"{Table.Name}\" WHERE {Where} ORDER BY {Order}{Page})";
}
