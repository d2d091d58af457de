using System.Runtime.InteropServices;
using System.Text.Json;
using Converge.Core.State;

namespace Converge.Core.Merge;

/// <summary>About how many bytes a record takes in its storage form, without writing it: for <see cref="ApplyLimits.MaxRecordBytes"/>.</summary>
internal static class RecordSize
{
    // A field's stamp, its name's quotes and the members around its value ({"r":...,"h":"<62 characters>"}).
    private const int PerField = 80;

    /// <summary>The estimate: each field's name and value as written, and what stamps and punctuation add; set elements aside.</summary>
    public static long Estimate(RecordData record)
    {
        long size = 120 + (record.Owner?.Length ?? 0);
        foreach (var (name, state) in record.Fields)
        {
            size += name.Length + PerField + state switch
            {
                RegisterState register => Raw(register.Value),
                _ => 0,
            };
        }

        return size;
    }

    private static int Raw(JsonElement value) => value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Object or JsonValueKind.Array
        ? JsonMarshal.GetRawUtf8Value(value).Length
        : 5;
}
