using System.Text.Json;
using Converge.Core.Export;
using Converge.Sqlite;

namespace Converge.Client.Query;

/// <summary>A value as its column holds it (the design's table): what a query binds to compare with that column.</summary>
internal static class ColumnValues
{
    /// <summary>The SQL value of a field's JSON value in a column of <paramref name="kind"/>.</summary>
    /// <exception cref="NotSupportedException">The value does not fit the column.</exception>
    public static object Of(ColumnKind kind, JsonElement json) => (kind, json.ValueKind) switch
    {
        (ColumnKind.Text or ColumnKind.Uuid or ColumnKind.Instant, JsonValueKind.String) => json.GetString()!,
        (ColumnKind.Integer, JsonValueKind.Number) when json.TryGetInt64(out var whole) => whole,
        (ColumnKind.Real, JsonValueKind.Number) => json.GetDouble(),
        (ColumnKind.Decimal, JsonValueKind.Number) => json.GetRawText(),
        (ColumnKind.Bool, JsonValueKind.True) => 1L,
        (ColumnKind.Bool, JsonValueKind.False) => 0L,
        (ColumnKind.Json, _) => CanonicalJson.ToText(json),
        _ => throw new NotSupportedException($"The value {json.GetRawText()} does not fit a {kind} column."),
    };
}
