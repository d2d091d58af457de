using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Converge.Cli;

/// <summary>How the command line prints: tables for people at a terminal, JSON for scripts.</summary>
internal static class Output
{
    /// <summary>True to print JSON: asked for, or stdout is not a terminal.</summary>
    public static bool Json(bool asked) => asked || Console.IsOutputRedirected;

    /// <summary>Writes one JSON value (one line) to stdout.</summary>
    public static void WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        Console.Out.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Parses a JSON argument, or explains what is wrong with it.</summary>
    public static JsonElement ParseArgument(string text, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CliException($"{what} is not valid JSON: {e.Message}", ExitCodes.Usage);
        }
    }

    /// <summary>Parses a record id argument.</summary>
    public static Guid ParseId(string text) =>
        Guid.TryParse(text, out var id) && id != Guid.Empty ? id : throw new CliException($"'{text}' is not a record id: expected a UUID.", ExitCodes.Usage);
}
