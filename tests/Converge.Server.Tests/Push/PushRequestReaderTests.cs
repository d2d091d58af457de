using System.Text;
using System.Text.Json;
using Converge.Core;
using Converge.Core.Protocol;
using Converge.Server.Endpoints;
using Converge.Server.Push;

namespace Converge.Server.Tests.Push;

/// <summary>The one-pass reader answers only when the checks and the serializer would give the very same request.</summary>
public sealed class PushRequestReaderTests
{
    private const string Id = "019aa5e0-7c3b-7d2e-9a4f-0123456789ab";
    private const string Hlc = "2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5";
    private const string Plain = $$$"""{"clientId":"{{{Id}}}","actions":[{"id":"{{{Id}}}","hlc":"{{{Hlc}}}","kind":"create","collection":"item","record":"{{{Id}}}","fields":{"title":"a \"b\" \u00e9","n":42,"tags":["x",{"y":[1,2.50,null]}],"gone":null}},{"id":"{{{Id}}}","hlc":"{{{Hlc}}}","kind":"increment","collection":"item","record":"{{{Id}}}","field":"n","delta":-1.25},{"id":"{{{Id}}}","hlc":"{{{Hlc}}}","kind":"add","collection":"item","record":"{{{Id}}}","field":"tags","value":{"k":true}},null,{"id":"{{{Id}}}","hlc":"{{{Hlc}}}","kind":"create","collection":"item","record":"{{{Id}}}","fields":{},"onConflict":"ignore"}]}""";

    public static TheoryData<string> Bodies => new()
    {
        Plain,
        """{"actions":[],"clientId":"x"}""",
        """{"clientId":"x"}""",
        """{"clientId":null,"actions":[]}""",
        """{"clientId":"x","actions":null}""",
        """{"clientId":"x","actions":[1]}""",
        """{"clientId":"x","actions":[{"id":null}]}""",
        """{"clientId":"x","actions":[{"id":5}]}""",
        """{"clientId":"x","actions":[{"id":"a","id":"b"}]}""",
        """{"clientId":"x","clientId":"y","actions":[]}""",
        """{"clientId":"x","actions":[{"fields":{"a":1,"a":2}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":null}}]}""",
        """{"clientId":"x","actions":[{"fields":null}]}""",
        """{"clientId":"x","actions":[{"fields":[1]}]}""",
        """{"clientId":"x","actions":[{"value":null}]}""",
        """{"clientId":"x","actions":[{"delta":null}]}""",
        """{"clientId":"x","actions":[{"delta":"1"}]}""",
        """{"clientId":"x","actions":[{"index":1,"principal":"p","clientId":"c"}]}""",
        """{"clientId":"x","actions":[{"collections":{}}]}""",
        """{"clientId":"x","actions":[{"Id":"a"}]}""",
        """{"clientId":"x","actions":[{"unknown":1}]}""",
        """{"clientId":"x","actions":[],"extra":1}""",
        """{"cl\u0069entId":"x","actions":[{"\u0069d":"\u0041"}]}""",
        """{"clientId":"x","actions":[]} x""",
        """{"clientId":"x","actions":[]}   """,
        """{"clientId":"x","actions":[]} /* c */""",
        """{"clientId":"x","actions":[],}""",
        """[]""",
        """null""",
        """ """,
        "",
        """{"clientId":"x","actions":[{"fields":{"a":[[[[[[1]]]]]]}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":"0123456789012345678901234567890123456789"}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":"012345678901234567890123456789012345678"}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":"0123456789012345678901234567890123456\n"}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":"01234567890123456789012345678901234567\n"}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":"012345678901234567890123456789012345678\n"}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":"01234567890123456789012345678901234567890"}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":[[[1]]]}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":[1]}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":[]}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":{}}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":{"b":1}}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":[[[]]]}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":[[{}]]}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":[[[[]]]]}}]}""",
        """{"clientId":"x","actions":[{"fields":{"0123456789012345678901234567890123456789":1}}]}""",
        """{"clientId":"x","actions":[{"fields":{"0123456789012345678901234567890123456789x":1}}]}""",
        """{"clientId":"\ud800","actions":[]}""",
        """{"clientId":"x","actions":[{"hlc":"a\udc00"}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":"\ud83d\ude00"}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":"\ude00\ud83d"}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a\ud800":1}}]}""",
        """{"clientId":"x","actions":[{"fields":{"a":{"\udbff":1}}}]}""",
        """{"clientId":"x","actions":[{"value":["\\ud800","\\\ud800"]}]}""",
        """{"clientId":"x","actions":[{"value":"\ud800\n"}]}""",
        """{"\ud800":"x","actions":[]}""",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void TryRead_AnyBody_AgreesWithTheChecksAndTheSerializer(string body)
    {
        Agrees(Encoding.UTF8.GetBytes(body), 32, 256 * 1024);
        Agrees(Encoding.UTF8.GetBytes(body), 4, 40);
    }

    [Fact]
    public void TryRead_PlainPush_ReadsItInOnePass()
    {
        var request = PushRequestReader.TryRead(Encoding.UTF8.GetBytes(Plain), 32, 256 * 1024);

        request.ShouldNotBeNull();
        request.Actions!.Count.ShouldBe(5);
    }

    [Theory]
    [InlineData("""{"clientId":"\ud800","actions":[]}""")]
    [InlineData("""{"clientId":"x","actions":[{"fields":{"a":"x\udfff"}}]}""")]
    [InlineData("""{"clientId":"x","actions":[{"fields":{"a":"\ude00\ud83d"}}]}""")]
    [InlineData("""{"clientId":"x","actions":[{"fields":{"a":"\ud83d\u0041"}}]}""")]
    [InlineData("""{"clientId":"x","actions":[{"fields":{"a":"\ud83d\n"}}]}""")]
    [InlineData("""{"clientId":"x","actions":[{"fields":{"a":"\ud83d\ud83d\ude00"}}]}""")]
    [InlineData("""{"clientId":"x","actions":[{"fields":{"a\ud800":1}}]}""")]
    [InlineData("""{"clientId":"x","actions":[{"value":["\\\ud800"]}]}""")]
    [InlineData("""{"\udc00":"x"}""")]
    public void TryRead_LoneSurrogateEscape_LeavesItToTheChecks_WhichSayInvalidJson(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        PushRequestReader.TryRead(bytes, 32, 256 * 1024).ShouldBeNull();
        JsonLimits.Check(bytes, 32, 256 * 1024).ShouldNotBeNull().Code.ShouldBe(ProblemCodes.InvalidJson);
    }

    [Fact]
    public void TryRead_InvalidUtf8_LeavesItToTheChecks()
    {
        byte[] body = [.. "{\"clientId\":\""u8, 0xC3, 0x28, .. "\",\"actions\":[]}"u8];

        PushRequestReader.TryRead(body, 32, 256 * 1024).ShouldBeNull();
    }

    [Fact]
    public void TryRead_MutatedBodies_AgreeWithTheChecksAndTheSerializer()
    {
        // Deterministic: a seeded generator of deletions, insertions and replacements of JSON's own characters.
        const string alphabet = "{}[]\",:0123456789 -.eEtrufalsn\\u/\n";
        var random = new Random(20261121);
        var fast = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder(Plain);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0:
                        text.Remove(at, 1);
                        break;
                    case 1:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        text[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                }
            }

            var body = Encoding.UTF8.GetBytes(text.ToString());
            fast += Agrees(body, 32, 256 * 1024) ? 1 : 0;
            Agrees(body, 3, 16);
        }

        fast.ShouldBeGreaterThan(1_000);
    }

    /// <summary>True when the reader answered; then the checks pass and the serializer reads the same request.</summary>
    private static bool Agrees(byte[] body, int maxDepth, int maxStringBytes)
    {
        var fast = PushRequestReader.TryRead(body, maxDepth, maxStringBytes);
        if (fast is null)
        {
            return false;
        }

        JsonLimits.Check(body, maxDepth, maxStringBytes).ShouldBeNull();
        var slow = JsonSerializer.Deserialize(body, ConvergeJsonContext.Default.PushRequest);
        slow.ShouldNotBeNull();
        Describe(fast).ShouldBe(Describe(slow));
        return true;
    }

    /// <summary>Everything the endpoint reads of a request, as text: each member, each value's kind and raw JSON.</summary>
    private static string Describe(PushRequest request)
    {
        var text = new StringBuilder().Append(request.ClientId ?? "<null>").Append('|');
        if (request.Actions is null)
        {
            return text.Append("<no actions>").ToString();
        }

        foreach (var wire in request.Actions)
        {
            if (wire is null)
            {
                text.Append("<null action>;");
                continue;
            }

            text.Append(string.Join(",", wire.Id, wire.Hlc, wire.Kind, wire.Collection, wire.Record, wire.Field, wire.OnConflict, wire.Index, wire.ClientId, wire.Principal, wire.Collections is null ? "-" : "collections"))
                .Append(Element(wire.Value)).Append(Element(wire.Delta));
            if (wire.Fields is { } fields)
            {
                foreach (var (name, value) in fields)
                {
                    text.Append(name).Append('=').Append(Element(value));
                }
            }
            else
            {
                text.Append("<no fields>");
            }

            text.Append(';');
        }

        return text.ToString();
    }

    private static string Element(JsonElement? element) => element is { } value ? $"[{value.ValueKind}:{value.GetRawText()}]" : "[absent]";
}
