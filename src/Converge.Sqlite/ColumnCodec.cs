using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Converge.Sqlite;

/// <summary>
/// A field's value in its column and back: what to bind (a long, a double, a string or null) and whether reading the
/// column back gives the stored JSON text byte for byte (when not, the metadata keeps the text too).
/// </summary>
internal static class ColumnCodec
{
    /// <summary>The column value of a register's value (canonical text <paramref name="canonical"/>); false when the column cannot reproduce that text.</summary>
    public static bool Encode(ColumnKind kind, JsonElement value, ReadOnlySpan<byte> canonical, out object? bound)
    {
        bound = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        switch (kind)
        {
            case ColumnKind.Text or ColumnKind.Instant when value.ValueKind == JsonValueKind.String:
                bound = value.GetString();
                return true;
            case ColumnKind.Integer when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l):
                bound = l;
                return Same(l.ToString(CultureInfo.InvariantCulture), canonical);
            case ColumnKind.Real when value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d):
                bound = d;

                // SQLite may keep a whole REAL as an integer on disk, which loses -0.0's sign.
                return !(d == 0 && double.IsNegative(d)) && Same(d.ToString("R", CultureInfo.InvariantCulture), canonical);
            case ColumnKind.Decimal when value.ValueKind == JsonValueKind.Number:
                bound = Encoding.UTF8.GetString(canonical);
                return true;
            case ColumnKind.Bool when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                bound = value.ValueKind == JsonValueKind.True ? 1L : 0L;
                return true;
            case ColumnKind.Uuid when value.ValueKind == JsonValueKind.String && Guid.TryParseExact(value.GetString(), "D", out var id):
                var text = id.ToString("D");
                bound = text;
                return text == value.GetString();
            case ColumnKind.Json:
                bound = Encoding.UTF8.GetString(canonical);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The column value of a counter's total; false when the column cannot reproduce its text.</summary>
    public static bool EncodeTotal(ColumnKind kind, decimal total, string text, out object? bound)
    {
        bound = null;
        switch (kind)
        {
            case ColumnKind.Integer when decimal.IsInteger(total) && total is >= long.MinValue and <= long.MaxValue:
                bound = (long)total;
                return ((long)total).ToString(CultureInfo.InvariantCulture) == text;
            case ColumnKind.Decimal:
                bound = text;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes the JSON value a column holds (read as a long, a double, a string or null) as the field's stored text.</summary>
    public static void Write(Utf8JsonWriter writer, ColumnKind kind, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case long l when kind == ColumnKind.Bool:
                writer.WriteBooleanValue(l != 0);
                break;
            case long l when kind == ColumnKind.Real:
                writer.WriteRawValue(((double)l).ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteRawValue(d.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
                break;
            case string s when kind is ColumnKind.Decimal or ColumnKind.Json:
                writer.WriteRawValue(s, skipInputValidation: true);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            default:
                throw new FormatException($"A column of kind {kind} holds a {value.GetType().Name}.");
        }
    }

    private static bool Same(string text, ReadOnlySpan<byte> canonical)
    {
        if (text.Length != canonical.Length)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != canonical[i])
            {
                return false;
            }
        }

        return true;
    }
}
