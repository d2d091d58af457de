using System.Net;
using Converge.Core;
using Converge.Core.Protocol;
using Converge.Testing;

namespace Converge.Server.Tests.Endpoints;

/// <summary>An increment's delta is a decimal; a long counter takes whole amounts within 64 bits. Nothing out of range is a 5xx.</summary>
public sealed class CounterRangeTests
{
    [Theory]
    [InlineData("1e19")]
    [InlineData("-18446744073709551615")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("79228162514264337593543950335")]
    public async Task Push_LongCounterDeltaBeyond64Bits_IsRejectedOutOfRange_AndChangesNothing(string delta)
    {
        await using var f = await ServerFixture.StartAsync();
        var create = f.Writer.Create("person", """{"name":"Ann","visits":1}""");
        await f.PushAsync(create);
        var before = await f.ExportAsync();

        using var response = await Wire.PushRawAsync(f.Client, ServerFixture.Stream, IncrementBody(f, create.Record, delta));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var result = System.Text.Json.JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ConvergeJsonContext.Default.PushResponse)!.Results.ShouldHaveSingleItem();
        result.Status.ShouldBe("rejected");
        result.Code.ShouldBe(RejectionCodes.OutOfRange);
        (await f.HeadAsync()).ShouldBe(2);
        (await f.ExportAsync()).ShouldBe(before);
    }

    [Theory]
    [InlineData("1e29")]
    [InlineData("-1e29")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("79228162514264337593543950336")]
    public async Task Push_DeltaBeyondDecimal_IsProblemOutOfRange_WithActionIndex(string delta)
    {
        await using var f = await ServerFixture.StartAsync();
        var create = f.Writer.Create("person", """{"name":"Ann","visits":1}""");
        await f.PushAsync(create);
        var before = await f.ExportAsync();

        using var response = await Wire.PushRawAsync(f.Client, ServerFixture.Stream, IncrementBody(f, create.Record, delta));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Wire.ProblemCodeAsync(response)).ShouldBe(RejectionCodes.OutOfRange);
        (await f.HeadAsync()).ShouldBe(2);
        (await f.ExportAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Push_LongCounterWholeDeltaAtTheEdge_IsAccepted()
    {
        await using var f = await ServerFixture.StartAsync();
        var create = f.Writer.Create("person", """{"name":"Ann","visits":0}""");
        await f.PushAsync(create);

        using var response = await Wire.PushRawAsync(f.Client, ServerFixture.Stream, IncrementBody(f, create.Record, "9223372036854775807.0"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"accepted\"");
        (await f.ExportAsync()).ShouldContain("\"visits\":9223372036854775807");
    }

    private static string IncrementBody(ServerFixture f, Guid record, string delta) =>
        $$"""{"clientId":"{{f.ClientId}}","actions":[{"id":"{{Guid.CreateVersion7()}}","hlc":"{{f.Writer.Clock.Next()}}","kind":"increment","collection":"person","record":"{{record}}","field":"visits","delta":{{delta}}}]}""";
}
