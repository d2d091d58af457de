using System.Globalization;
using System.Text;

namespace Converge.Server.Tests.Push;

/// <summary>
/// Seeded push bodies for the fuzz test: a valid push of one to three actions of every kind, then zero to three
/// mutations of it (bytes flipped, escapes, numbers, names, nesting, truncation, duplicated members, other types).
/// Everything follows from the seed, so a failing case replays.
/// </summary>
internal sealed class PushFuzzer(int seed)
{
    public const string Schema = """
        {"item":{"fields":{"title":{"type":"string"},"code":{"type":"string","unique":"value"},"n":{"type":"long","counter":true},
          "amount":{"type":"decimal","counter":true},"score":{"type":"double"},"price":{"type":"decimal"},"count":{"type":"long"},
          "flag":{"type":"bool"},"at":{"type":"instant"},"ref":{"type":"ref","target":"item"},"uid":{"type":"uuid"},
          "tags":{"type":"string","cardinality":"many"},"seen":{"type":"long","cardinality":"many","growOnly":true},"meta":{"type":"json"}}},
         "free":{"open":true,"fields":{}},
         "mine":{"owned":true,"fields":{"text":{"type":"string"}}}}
        """;

    private static readonly string[] Escapes =
    [
        "\\ud800", "\\udc00", "\\udbff\\udbff", "\\ude00\\ud83d", "\\ud83d", "\\u0000", "\\u001f", "\\ud83d\\ude00", "\\\\", "\\\"", "\\/", "\\u00", "\\uZZZZ", "\\x41", "\\", "\\u00e9",
    ];

    private static readonly string[] Numbers =
    [
        "1e400", "-1e400", "1e-400", "-0", "-0.0", "0e0", "1E+19", "1e19", "-18446744073709551615", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "79228162514264337593543950335", "79228162514264337593543950336", "1e28", "1e29", "0.1e1", "1.0", "5.00",
        "00", "01", "-", "1e", "1.e5", ".5", "+1", "NaN", "Infinity", "0x10", "1_000", new string('9', 400), "0." + new string('0', 400) + "1", "1e-28", "1e-29",
    ];

    private static readonly string[] Values =
    [
        "null", "true", "false", "[]", "{}", "\"\"", "\"x\"", "0", "[null]", "[1,\"a\"]", "{\"a\":null}", "\"2026-11-21T06:53:36Z\"", "\"2026-13-45T99:00:00Z\"",
        "\"00000000-0000-0000-0000-000000000000\"", "\"019aa5e0-7c3b-7d2e-9a4f-0123456789ab\"", "\"\\u0000\"", "\"名前\"", "1.5", "[[[]]]",
    ];

    private static readonly string[] Names =
    [
        "", "Id", "ID", "KIND", "Kind", "fields ", " kind", "clientid", "CLIENTID", "actions\u0000", "naïve", "名前", "\\u0069d", "\\u006bind", "index", "principal",
        "clientId", "owner", "collections", "value", "delta", "onConflict", "x-y", "_", new string('n', 65), new string('n', 300), "\\ud800",
    ];

    private static readonly string[] Kinds = ["create", "update", "delete", "add", "remove", "increment", "schema", "Create", "", "upsert"];

    private readonly Random _random = new(seed);
    private readonly List<string> _records = [];
    private long _tick;

    /// <summary>The records the fixture seeded and the fuzz created, for actions that name existing ones.</summary>
    public IReadOnlyList<string> Records => _records;

    /// <summary>A new UUIDv7 from the seed.</summary>
    public string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    /// <summary>A valid push body of one to three actions.</summary>
    public string ValidPush(string clientId, int actions)
    {
        var items = Enumerable.Range(0, actions).Select(_ => Action()).ToList();
        return $"{{\"clientId\":\"{clientId}\",\"actions\":[{string.Join(",", items)}]}}";
    }

    /// <summary>A create of a new item, remembered as a record to aim later actions at.</summary>
    public string CreateItem()
    {
        var record = NewId();
        _records.Add(record);
        return Header("create") + $",\"collection\":\"item\",\"record\":\"{record}\",\"fields\":{{\"title\":\"t\",\"n\":0,\"amount\":0,\"tags\":[\"a\"],\"seen\":[1]}}}}";
    }

    /// <summary>Applies zero to three mutations (mostly one or more); returns the bytes and what was done.</summary>
    public (byte[] Body, string Mutations) Mutate(string valid)
    {
        var count = _random.Next(10) == 0 ? 0 : _random.Next(1, 4);
        var text = valid;
        var done = new List<string>();
        byte[]? bytes = null;
        for (var i = 0; i < count; i++)
        {
            var kind = _random.Next(12);
            done.Add(kind switch
            {
                0 => Flip(ref bytes, text),
                1 => Replace(ref text, StringSpans(text), Escape),
                2 => Replace(ref text, NumberSpans(text), () => Numbers[_random.Next(Numbers.Length)]),
                3 => Replace(ref text, NameSpans(text), () => $"\"{Names[_random.Next(Names.Length)]}\""),
                4 => Replace(ref text, ValueSpans(text), Nested),
                5 => Truncate(ref bytes, text),
                6 => Duplicate(ref text),
                7 => Replace(ref text, ValueSpans(text), () => Values[_random.Next(Values.Length)]),
                8 => Replace(ref text, StringSpans(text), () => $"\"{Kinds[_random.Next(Kinds.Length)]}\""),
                9 => Replace(ref text, StringSpans(text), () => $"\"{new string('s', _random.Next(2) == 0 ? 300_000 : 70)}\""),
                10 => Replace(ref text, DeltaSpans(text), () => Numbers[_random.Next(Numbers.Length)]),
                _ => Insert(ref text),
            });
        }

        return (bytes ?? Encoding.UTF8.GetBytes(text), string.Join(", ", done));
    }

    private string Action()
    {
        var record = _records.Count > 0 && _random.Next(4) != 0 ? _records[_random.Next(_records.Count)] : NewId();
        var item = $",\"collection\":\"item\",\"record\":\"{record}\"";
        switch (_random.Next(10))
        {
            case 0:
            case 1:
                _records.Add(record);
                var onConflict = _random.Next(3) == 0 ? $",\"onConflict\":\"{new[] { "merge", "ignore", "overwrite" }[_random.Next(3)]}\"" : "";
                return Header("create") + item + ",\"fields\":{" + ItemFields() + "}" + onConflict + "}";
            case 2:
                return Header("update") + item + ",\"fields\":{" + ItemFields(atLeastOne: true) + "}}";
            case 3:
                return Header(_random.Next(2) == 0 ? "add" : "remove") + item + $",\"field\":\"tags\",\"value\":\"{Word()}\"}}";
            case 4:
                return Header("add") + item + $",\"field\":\"seen\",\"value\":{_random.Next(-5, 100)}}}";
            case 5:
                return Header("increment") + item + $",\"field\":\"n\",\"delta\":{_random.Next(-50, 50)}}}";
            case 6:
                return Header("increment") + item + $",\"field\":\"amount\",\"delta\":{(_random.Next(-5000, 5000) / 100m).ToString(CultureInfo.InvariantCulture)}}}";
            case 7:
                return Header("create") + $",\"collection\":\"free\",\"record\":\"{NewId()}\",\"fields\":{{\"any\":{Values[_random.Next(Values.Length)]},\"w\":\"{Word()}\"}}}}";
            case 8:
                return _random.Next(8) == 0
                    ? Header("schema") + $",\"collections\":{{\"c{_random.Next(1000)}\":{{\"fields\":{{\"f\":{{\"type\":\"string\"}},\"g\":{{\"type\":\"long\",\"cardinality\":\"many\"}}}}}}}}}}"
                    : Header("create") + $",\"collection\":\"mine\",\"record\":\"{NewId()}\",\"fields\":{{\"text\":\"{Word()}\"}}}}";
            default:
                return _random.Next(6) == 0
                    ? Header("delete") + $",\"collection\":\"item\",\"record\":\"{NewId()}\"}}"
                    : Header("update") + item + $",\"fields\":{{\"title\":\"{Word()}\"}}}}";
        }
    }

    private string ItemFields(bool atLeastOne = false)
    {
        string[] all =
        [
            $"\"title\":\"{Word()}\"", $"\"code\":\"c{_random.Next(20)}\"", $"\"n\":{_random.Next(100)}", "\"amount\":1.50", $"\"score\":{_random.NextDouble().ToString("R", CultureInfo.InvariantCulture)}",
            "\"price\":9.99", $"\"count\":{_random.Next()}", "\"flag\":true", "\"at\":\"2026-11-21T06:53:36.123456789+01:00\"", $"\"uid\":\"{NewId()}\"",
            "\"tags\":[\"a\",\"b\"]", "\"seen\":[1,2]", "\"meta\":{\"k\":[1,{\"j\":null}]}", "\"title\":null",
        ];
        var chosen = all.Where(_ => _random.Next(3) == 0).DistinctBy(f => f[..f.IndexOf(':', StringComparison.Ordinal)]).ToList();
        if (atLeastOne && chosen.Count == 0)
        {
            chosen.Add(all[0]);
        }

        return string.Join(",", chosen);
    }

    private string Header(string kind) => $"{{\"id\":\"{NewId()}\",\"hlc\":\"{Hlc()}\",\"kind\":\"{kind}\"";

    /// <summary>Fixed, past stamps: within the drift whatever the server's clock, and the same on every run.</summary>
    private string Hlc()
    {
        var time = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(++_tick * 10_000);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z/" + ((ulong)seed).ToString("X16", CultureInfo.InvariantCulture) + "000000000000000A";
    }

    private string Word() => new[] { "ann", "bob", "caf\\u00e9", "\\ud83d\\ude00", "a\\\"b", "tab\\t", "名前", "x" }[_random.Next(8)];

    private string Escape() => "\"a" + Escapes[_random.Next(Escapes.Length)] + (_random.Next(2) == 0 ? "b" : "") + "\"";

    private string Nested()
    {
        var depth = new[] { 5, 28, 29, 30, 31, 32, 33, 100, 2000 }[_random.Next(9)];
        return _random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    private string Flip(ref byte[]? bytes, string text)
    {
        bytes ??= Encoding.UTF8.GetBytes(text);
        for (var flips = _random.Next(1, 4); flips > 0; flips--)
        {
            bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
        }

        return "flip";
    }

    private string Truncate(ref byte[]? bytes, string text)
    {
        bytes ??= Encoding.UTF8.GetBytes(text);
        bytes = bytes[.._random.Next(bytes.Length)];
        return "truncate";
    }

    private string Duplicate(ref string text)
    {
        var names = NameSpans(text);
        if (names.Count == 0)
        {
            return "duplicate(none)";
        }

        // Repeats a member with a simple value right after itself: "kind":"create" → "kind":"create","kind":"create".
        var (start, length) = names[_random.Next(names.Count)];
        var valueEnd = text.IndexOfAny([',', '}'], start + length + 1);
        if (valueEnd < 0 || text[start + length] != ':' || text[start + length + 1] is '{' or '[')
        {
            return "duplicate(skipped)";
        }

        var member = text[start..valueEnd];
        text = text[..valueEnd] + "," + member + text[valueEnd..];
        return "duplicate";
    }

    private string Insert(ref string text)
    {
        const string alphabet = "{}[]\",:0123456789 -.eE\\u";
        var at = _random.Next(text.Length);
        text = text[..at] + alphabet[_random.Next(alphabet.Length)] + text[at..];
        return "insert";
    }

    private string Replace(ref string text, List<(int Start, int Length)> spans, Func<string> make)
    {
        if (spans.Count == 0)
        {
            return "replace(none)";
        }

        var (start, length) = spans[_random.Next(spans.Count)];
        text = text[..start] + make() + text[(start + length)..];
        return "replace";
    }

    /// <summary>Spans of string literals (names and values), quotes included, in text that is still close to JSON.</summary>
    private static List<(int Start, int Length)> StringSpans(string text)
    {
        var spans = new List<(int, int)>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '"')
            {
                continue;
            }

            var end = i + 1;
            while (end < text.Length && text[end] != '"')
            {
                end += text[end] == '\\' ? 2 : 1;
            }

            if (end >= text.Length)
            {
                break;
            }

            spans.Add((i, end - i + 1));
            i = end;
        }

        return spans;
    }

    private static List<(int Start, int Length)> NameSpans(string text) =>
        [.. StringSpans(text).Where(s => s.Start + s.Length < text.Length && text[s.Start + s.Length] == ':')];

    private static List<(int Start, int Length)> ValueSpans(string text) =>
        [.. StringSpans(text).Where(s => s.Start > 0 && text[s.Start - 1] == ':'), .. NumberSpans(text)];

    private static List<(int Start, int Length)> DeltaSpans(string text) =>
        [.. NumberSpans(text).Where(s => s.Start >= 8 && text.AsSpan(s.Start - 8, 8).SequenceEqual("\"delta\":"))];

    private static List<(int Start, int Length)> NumberSpans(string text)
    {
        var spans = new List<(int, int)>();
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i - 1] is ':' or ',' or '[' && (char.IsAsciiDigit(text[i]) || text[i] == '-'))
            {
                var end = i + 1;
                while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '.' or 'e' or 'E' or '+' or '-'))
                {
                    end++;
                }

                spans.Add((i, end - i));
            }
        }

        return spans;
    }
}
