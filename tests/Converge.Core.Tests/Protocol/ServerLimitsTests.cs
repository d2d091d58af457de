using System.Text.Json;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Core.Tests.Protocol;

public sealed class ServerLimitsTests
{
    private readonly ActionFactory _factory = new(new FakeTimeProvider());

    [Fact]
    public void CheckAction_StringPastTheLimit_IsRefusedWithTheServersCode()
    {
        var limits = new ServerLimits { MaxStringBytes = 100 };

        limits.CheckAction(Envelope(new string('x', 100))).ShouldBeNull();
        limits.CheckAction(Envelope(new string('x', 101))).ShouldNotBeNull().Code.ShouldBe(JsonLimitCodes.StringTooLong);
    }

    [Fact]
    public void CheckAction_BodyPastAQuarterOfTheRequestLimit_IsTooLarge()
    {
        var limits = new ServerLimits { MaxRequestBodyBytes = 4000 };
        var envelope = Envelope(new string('x', 1200));

        envelope.Body.Length.ShouldBeGreaterThan(limits.MaxActionBytes);
        limits.CheckAction(envelope).ShouldNotBeNull().Code.ShouldBe(JsonLimitCodes.BodyTooLarge);
        ServerLimits.Default.CheckAction(envelope).ShouldBeNull();
    }

    [Fact]
    public void Deserialize_UnknownAndMissingMembers_SkipsThemAndKeepsTheDefaults()
    {
        var limits = ServerLimits.Parse("""{"maxStringBytes":7,"maxSomethingNew":{"a":1}}"""u8);

        limits.ShouldBe(ServerLimits.Default with { MaxStringBytes = 7 });
        limits.IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Write_Default_NamesEveryLimitAndReadsBackTheSame()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            ServerLimits.Default.Write(writer);
        }

        var json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        ServerLimits.Parse(stream.ToArray()).ShouldBe(ServerLimits.Default);

        json.ShouldBe("""{"maxRequestBodyBytes":4194304,"maxActionsPerPush":1000,"maxJsonDepth":32,"maxStringBytes":262144,"maxCollections":500,"maxFieldsPerCollection":200,"maxSchemaFields":10000,"maxSetElements":10000,"maxElementBytes":1024,"maxRecordBytes":524288}""");
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"maxStringBytes":"7"}""")]
    [InlineData("""{"maxStringBytes":1e12}""")]
    [InlineData("""{""")]
    public void Parse_NotLimits_Throws(string json)
    {
        Should.Throw<FormatException>(() => ServerLimits.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void IsValid_ANonPositiveLimit_IsFalse()
    {
        (ServerLimits.Default with { MaxRecordBytes = 0 }).IsValid.ShouldBeFalse();
    }

    private ActionEnvelope Envelope(string text) =>
        ActionEnvelope.Of(_factory.Update("p", Guid.CreateVersion7(), JsonSerializer.Serialize(new Dictionary<string, string> { ["t"] = text })));
}
