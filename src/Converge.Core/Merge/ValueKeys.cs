using System.Globalization;
using System.Text.Json;
using Converge.Core.Export;
using Converge.Core.Schema;

namespace Converge.Core.Merge;

/// <summary>
/// The key of a value for equality: of unique values, and of set elements. Values that mean the same are one key:
/// <c>1.0</c> and <c>1.00</c> as decimals, <c>-0.0</c> and <c>0</c> as doubles, a UUID in either case, an instant in any offset.
/// </summary>
internal static class ValueKeys
{
    /// <summary>The key of a value of a field's type (already checked against it).</summary>
    public static string Of(FieldType type, JsonElement value) => type switch
    {
        FieldType.Long when value.TryGetInt64(out var l) => l.ToString(CultureInfo.InvariantCulture),
        // -0.0 equals 0.0 as a double but formats as "-0": one key for both, or two records could hold "one" value.
        FieldType.Double when value.TryGetDouble(out var d) => d == 0d ? "0" : d.ToString("R", CultureInfo.InvariantCulture),
        FieldType.Decimal when value.TryGetDecimal(out var m) => (m / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        FieldType.Uuid or FieldType.Ref when Guid.TryParse(value.GetString(), out var g) => g.ToString("D"),
        FieldType.Instant when Instants.TryParse(value.GetString(), out var t, out var nanos) => string.Create(CultureInfo.InvariantCulture, $"{t.UtcTicks / TimeSpan.TicksPerSecond}.{nanos:D9}"),
        _ => CanonicalJson.ToText(value),
    };
}
