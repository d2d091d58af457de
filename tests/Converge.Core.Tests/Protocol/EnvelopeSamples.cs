using System.Buffers;
using System.Text.Json;
using Converge.Core.Actions;
using Converge.Core.Export;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Core.Tests.Protocol;

/// <summary>One action of every kind, and a pull answer written the way the server writes one.</summary>
internal static class EnvelopeSamples
{
    public static ConvergeAction[] EveryKind()
    {
        var factory = new ActionFactory(new FakeTimeProvider());
        var record = Guid.CreateVersion7();
        return
        [
            factory.Schema("""{"p":{"owned":true,"fields":{"n":{"type":"long","counter":true},"t":{"type":"string","cardinality":"many"}}}}"""),
            factory.Create("p", """{"t":["x \"quoted\" é \ud83d\ude00"],"n":1.50}""", record, OnConflict.Overwrite),
            factory.Update("p", record, """{"t":[]}"""),
            factory.Add("p", record, "t", "\"y\""),
            factory.Remove("p", record, "t", "{\"k\":[1,2]}"),
            factory.Increment("p", record, "n", -1.25m),
            factory.Delete("p", record),
        ];
    }

    /// <summary>A pull answer as PullEndpoint writes it: each stored body with index, client and principal spliced in front.</summary>
    public static byte[] PullAnswer(IReadOnlyList<byte[]> bodies, Guid clientId, string principal)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("actions");
            for (var i = 0; i < bodies.Count; i++)
            {
                var item = new ArrayBufferWriter<byte>();
                using (var prefix = new Utf8JsonWriter(item, CanonicalJson.WriterOptions))
                {
                    prefix.WriteStartObject();
                    prefix.WriteNumber("index", i + 1);
                    prefix.WriteString("clientId", clientId);
                    prefix.WriteString("principal", principal);
                }

                item.Write(","u8);
                item.Write(bodies[i].AsSpan(1));
                writer.WriteRawValue(item.WrittenSpan, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteNumber("head", bodies.Count);
            writer.WriteString("principal", principal);
            writer.WriteString("serverTime", new DateTimeOffset(2026, 11, 21, 6, 53, 36, TimeSpan.Zero));
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }
}
