using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Converge.Benchmarks.Harness;

/// <summary>Writes the results: a table for people, JSON for tools.</summary>
internal static class ResultReport
{
    public static string Table(IReadOnlyList<BenchResult> results, BenchSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = results.Select(r => new[]
        {
            r.Id,
            r.Title,
            Number(r.Value) + " " + r.Unit,
            r.Ratio is { } ratio ? Number(ratio) : "-",
            r.Target,
            double.IsNaN(r.Value) ? "FAILED" : r.MeetsTarget ? "yes" : "no",
            r.Size,
        }).Prepend(["id", "figure", "value", "ratio", "target", "met", "size"]).ToList();
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Converge benchmarks ({sizes.Name}), {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        text.AppendLine();
        foreach (var result in results)
        {
            var details = string.Join(", ", result.Details.Select(d => $"{d.Key}={Number(d.Value)}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"{result.Id}: ratio = {result.RatioMeaning}; {details}{(result.Note is null ? "" : "; " + result.Note)}");
        }

        return text.ToString();
    }

    /// <summary><c>{"B1": {"value": ..., "unit": ..., "ratio": ... or null, "size": ..., ...}, ...}</c></summary>
    public static void WriteJson(string path, IReadOnlyList<BenchResult> results, BenchSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        foreach (var result in results)
        {
            writer.WriteStartObject(result.Id);
            WriteNumber(writer, "value", result.Value);
            writer.WriteString("unit", result.Unit);
            WriteNumber(writer, "ratio", result.Ratio);
            writer.WriteString("size", result.Size);
            writer.WriteString("title", result.Title);
            writer.WriteString("ratioMeaning", result.RatioMeaning);
            writer.WriteString("target", result.Target);
            writer.WriteBoolean("meetsTarget", result.MeetsTarget);
            writer.WriteString("mode", sizes.Name);
            writer.WriteStartObject("details");
            foreach (var (key, value) in result.Details)
            {
                WriteNumber(writer, key, value);
            }

            writer.WriteEndObject();
            if (result.Note is { } note)
            {
                writer.WriteString("note", note);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The 1-minute load average (Linux), so a run on a busy machine shows it.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string Number(double value) =>
        double.IsNaN(value) ? "-" : Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
}
