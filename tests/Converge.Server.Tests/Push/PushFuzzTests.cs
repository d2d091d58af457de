using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Converge.Core;
using Converge.Core.Protocol;
using Converge.Server.Endpoints;
using Converge.Testing;
using Xunit.Abstractions;

namespace Converge.Server.Tests.Push;

/// <summary>
/// Thousands of seeded mutations of valid push bodies over real HTTP: no answer is a 5xx, every refusal is a problem
/// with a documented code and leaves the log and the state exactly as they were, and every 200 has one result per
/// action with the head moved by the accepted ones. <c>CONVERGE_FUZZ_CASES</c> and <c>CONVERGE_FUZZ_SEED</c> set the
/// count (3,000 by default) and the seed; a failure names the seed, the case, the mutations and the body.
/// </summary>
public sealed class PushFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 3_000;
    private const int DefaultSeed = 20261203;

    private static readonly HashSet<string> DocumentedCodes =
    [
        .. typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!),
        .. typeof(RejectionCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!),
    ];

    [Fact]
    public async Task Push_SeededMutationsOfValidBodies_NeverAFiveHundred_AndRefusalsChangeNothing()
    {
        var cases = Setting("CONVERGE_FUZZ_CASES", DefaultCases);
        var seed = Setting("CONVERGE_FUZZ_SEED", DefaultSeed);
        await using var f = await ServerFixture.StartAsync(withSchema: false);
        var fuzz = new PushFuzzer(seed);
        var clientId = fuzz.NewId();
        var setup = $$"""{"clientId":"{{clientId}}","actions":[{"id":"{{fuzz.NewId()}}","hlc":"2025-12-31T00:00:00.000000000Z/0000000000000000000000000000000A","kind":"schema","collections":{{PushFuzzer.Schema}}},{{string.Join(",", Enumerable.Range(0, 5).Select(_ => fuzz.CreateItem()))}}]}""";
        var (setupStatus, _, setupText) = await PushAsync(f, Encoding.UTF8.GetBytes(setup));
        setupStatus.ShouldBe(200, setupText);
        setupText.ShouldNotContain("rejected");
        var (head, export) = (await HeadAsync(f), await f.ExportAsync());
        head.ShouldBe(6);
        var answered = new SortedDictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < cases; i++)
        {
            var valid = fuzz.ValidPush(clientId, 1 + (i % 3));
            var (body, mutations) = fuzz.Mutate(valid);
            var (status, type, text) = await PushAsync(f, body);
            var outcome = status == 200 ? "200" : $"{status} {ProblemCode(text)}";
            answered[outcome] = answered.GetValueOrDefault(outcome) + 1;
            string Case(string what) => $"seed {seed}, case {i} ({mutations}): {what}\nanswer {status}: {Cut(text)}\nbody: {Printable(body)}";

            status.ShouldBeLessThan(500, Case("a 5xx"));
            if (status != 200)
            {
                type.ShouldBe("application/problem+json", Case("not a problem document"));
                DocumentedCodes.ShouldContain(ProblemCode(text), Case("not a documented code"));
                (await HeadAsync(f)).ShouldBe(head, Case("the head moved on a refused push"));
                (await f.ExportAsync()).ShouldBe(export, Case("the state changed on a refused push"));
                continue;
            }

            var response = JsonSerializer.Deserialize(text, ConvergeJsonContext.Default.PushResponse)!;
            foreach (var rejected in response.Results.Where(r => r.Status == "rejected"))
            {
                answered[$"200 rejected {rejected.Code}"] = answered.GetValueOrDefault($"200 rejected {rejected.Code}") + 1;
            }

            var pushed = ActionIds(body);
            response.Results.Select(r => Guid.Parse(r.Id!)).ShouldBe(pushed, Case("not one result per action, in order"));
            var accepted = response.Results.Where(r => r.Status == "accepted").ToList();
            accepted.Select(r => r.Index!.Value).ShouldBe(Enumerable.Range(1, accepted.Count).Select(n => head + n), Case("accepted indexes do not follow the head"));
            response.Results.All(r => r.Status is "accepted" or "duplicate" || (r.Status == "rejected" && DocumentedCodes.Contains(r.Code!))).ShouldBeTrue(Case("a result that is not accepted, duplicate or rejected with a documented code"));
            response.Head.ShouldBe(head + accepted.Count, Case("the answered head"));
            (await HeadAsync(f)).ShouldBe(response.Head, Case("the stored head"));
            (head, export) = (response.Head, accepted.Count > 0 ? await f.ExportAsync() : export);
        }

        // The mutations reached past the byte-level checks: pushes were accepted, refused early and refused late.
        var summary = $"seed {seed}, {cases} cases: " + string.Join(", ", answered.Select(a => $"{a.Key}: {a.Value}"));
        output.WriteLine(summary);
        answered.GetValueOrDefault("200").ShouldBeGreaterThan(cases / 20, summary);
        answered.Count.ShouldBeGreaterThan(10, summary);
    }

    private static async Task<(int Status, string? Type, string Text)> PushAsync(ServerFixture f, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await f.Client.PostAsync($"/v1/streams/{ServerFixture.Stream}/push", content);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static string ProblemCode(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("code", out var code) ? code.GetString() ?? "<null>" : "<no code>";
        }
        catch (JsonException)
        {
            return "<not JSON>";
        }
    }

    /// <summary>The head as a client sees it: a pull from the head itself.</summary>
    private static async Task<long> HeadAsync(ServerFixture f) => (await Wire.PullAsync(f.Client, ServerFixture.Stream, await f.HeadAsync())).Head;

    private static List<Guid> ActionIds(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("actions").EnumerateArray().Select(a => Guid.Parse(a.GetProperty("id").GetString()!))];
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static string Cut(string text) => text.Length > 2_000 ? text[..2_000] + "…" : text;

    /// <summary>The body as a C# string literal's content (invalid UTF-8 as \xNN), cut to 4,000 characters.</summary>
    private static string Printable(byte[] body)
    {
        var text = new StringBuilder();
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (var i = 0; i < body.Length && text.Length < 4_000; i++)
        {
            var length = body[i] < 0x80 ? 1 : body[i] >= 0xF0 ? 4 : body[i] >= 0xE0 ? 3 : 2;
            try
            {
                text.Append(body[i] < 0x20 ? $"\\x{body[i]:X2}" : decoder.GetString(body, i, Math.Min(length, body.Length - i)));
                i += length - 1;
            }
            catch (ArgumentException)
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{body[i]:X2}");
            }
        }

        return text.Length >= 4_000 ? text + $"… ({body.Length} bytes)" : text.ToString();
    }
}
