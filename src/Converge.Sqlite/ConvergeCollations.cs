using System.Globalization;
using Converge.Core.Merge;
using Microsoft.Data.Sqlite;

namespace Converge.Sqlite;

/// <summary>The collations of the visible tables: <c>cv_decimal</c> (by decimal value) and <c>cv_instant</c> (by UTC instant).</summary>
/// <remarks>PROVISIONAL (i14-query): stands in for i14-store's type of the same name until that branch is merged; take theirs.</remarks>
internal static class ConvergeCollations
{
    /// <summary>Registers both collations on a connection.</summary>
    public static void Register(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.CreateCollation("cv_decimal", CompareDecimals);
        connection.CreateCollation("cv_instant", CompareInstants);
    }

    private static int CompareDecimals(string? x, string? y) =>
        decimal.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && decimal.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
            ? a.CompareTo(b)
            : string.CompareOrdinal(x, y);

    private static int CompareInstants(string? x, string? y)
    {
        if (Instants.TryParse(x, out var a, out var an) && Instants.TryParse(y, out var b, out var bn))
        {
            var byTime = a.UtcDateTime.CompareTo(b.UtcDateTime);
            return byTime != 0 ? byTime : an.CompareTo(bn);
        }

        return string.CompareOrdinal(x, y);
    }
}
