using System.Globalization;
using Converge.Core.Merge;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>
/// The collations of the collection tables' columns: <c>cv_decimal</c> (JSON number texts by decimal value, so 1.5 =
/// 1.50) and <c>cv_instant</c> (RFC 3339 texts by UTC instant, to the nanosecond). Every connection to a Converge
/// SQLite file registers them (<see cref="SqliteText.Open"/> does), since SQLite cannot use a table or an index whose
/// collation it does not know.
/// </summary>
internal static class ConvergeCollations
{
    /// <summary>Registers both collations on an open connection.</summary>
    public static void Register(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.CreateCollation("cv_decimal", CompareDecimals);
        connection.CreateCollation("cv_instant", CompareInstants);
    }

    /// <summary>Two JSON number texts by value; a text that is no decimal sorts after every decimal, ordinally among its kind.</summary>
    public static int CompareDecimals(string? left, string? right)
    {
        var l = decimal.TryParse(left, NumberStyles.Float, CultureInfo.InvariantCulture, out var a);
        var r = decimal.TryParse(right, NumberStyles.Float, CultureInfo.InvariantCulture, out var b);
        return l && r ? a.CompareTo(b) : l != r ? (l ? -1 : 1) : string.CompareOrdinal(left, right);
    }

    /// <summary>Two RFC 3339 texts by instant (UTC, then the nanoseconds); a text that is no instant sorts after every instant.</summary>
    public static int CompareInstants(string? left, string? right)
    {
        var l = Instants.TryParse(left, out var a, out var an);
        var r = Instants.TryParse(right, out var b, out var bn);
        if (!l || !r)
        {
            return l != r ? (l ? -1 : 1) : string.CompareOrdinal(left, right);
        }

        var bySecond = a.UtcTicks.CompareTo(b.UtcTicks);
        return bySecond != 0 ? bySecond : an.CompareTo(bn);
    }
}
