using System.Text;
using Converge.Core.Protocol;

namespace Converge.Core.Tests.Protocol;

public sealed class JsonLimitCheckTests
{
    [Theory]
    [InlineData(28)]
    [InlineData(29)]
    [InlineData(30)]
    [InlineData(31)]
    [InlineData(32)]
    public void Check_ActionAtItsDepthInAPush_CountsAsTheWalkOfThePush(int nesting)
    {
        var value = new string('[', nesting) + new string(']', nesting);
        var action = $$"""{"collection":"p","fields":{"v":{{value}}},"kind":"update"}""";
        var push = $$"""{"clientId":"x","actions":[{{action}}]}""";

        var alone = JsonLimitCheck.Check(Encoding.UTF8.GetBytes(action), 32, 1024, JsonLimitCheck.ActionDepthInPush);
        var inPush = JsonLimitCheck.Check(Encoding.UTF8.GetBytes(push), 32, 1024);

        alone?.Code.ShouldBe(inPush?.Code);
    }

    [Theory]
    [InlineData(40, null)]
    [InlineData(41, JsonLimitCodes.StringTooLong)]
    public void Check_StringLength_CountsBytesAsSent(int length, string? code)
    {
        var json = $$"""{"a":"{{new string('x', length - 2)}}\n"}""";

        JsonLimitCheck.Check(Encoding.UTF8.GetBytes(json), 32, 40)?.Code.ShouldBe(code);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0xFF, 0x7D }, JsonLimitCodes.InvalidUtf8)]
    [InlineData(new byte[] { 0x7B }, JsonLimitCodes.MalformedJson)]
    [InlineData(new byte[0], JsonLimitCodes.MalformedJson)]
    public void Check_NotJson_GivesItsCode(byte[] json, string code)
    {
        JsonLimitCheck.Check(json, 32, 40).ShouldNotBeNull().Code.ShouldBe(code);
    }

    [Fact]
    public void Check_LoneSurrogate_IsInvalidJson()
    {
        JsonLimitCheck.Check("""{"a":"\ud800"}"""u8, 32, 40).ShouldNotBeNull().Code.ShouldBe(JsonLimitCodes.InvalidJson);
    }
}
