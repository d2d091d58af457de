using Converge.Core;
using Converge.Testing;

namespace Converge.Server.Tests.Push;

/// <summary>The server's limits on how far one action may grow a stream: each refusal has its code and changes nothing.</summary>
public sealed class PushLimitTests
{
    [Fact]
    public async Task Push_PastEachLimit_IsRejectedWithItsCode_AndTheStreamIsUnchanged()
    {
        await using var f = await ServerFixture.StartAsync(o =>
        {
            o.MaxCollections = 3;
            o.MaxFieldsPerCollection = 4;
            o.MaxSetElements = 2;
            o.MaxRecordBytes = 2000;
        });
        (await f.PushAsync(f.Writer.Schema("""{"bag":{"open":true,"fields":{"tags":{"type":"string","cardinality":"many"}}}}"""))).Results.ShouldHaveSingleItem().Status.ShouldBe("accepted");
        var bag = f.Writer.Create("bag", """{"tags":["a","b"]}""");
        (await f.PushAsync(bag)).Results.ShouldHaveSingleItem().Status.ShouldBe("accepted");
        var head = await f.HeadAsync();
        var before = await f.ExportAsync();

        var results = (await f.PushAsync(
            f.Writer.Schema("""{"more":{"fields":{}}}"""),
            f.Writer.Schema("""{"person":{"fields":{"a":{"type":"string"},"b":{"type":"string"}}}}"""),
            f.Writer.Add("bag", bag.Record, "tags", "\"c\""),
            f.Writer.Update("bag", bag.Record, "{\"big\":\"" + new string('x', 3000) + "\"}"))).Results;

        results.Select(r => r.Code).ShouldBe([RejectionCodes.SchemaTooLarge, RejectionCodes.SchemaTooLarge, RejectionCodes.SetTooLarge, RejectionCodes.RecordTooLarge]);
        results.ShouldAllBe(r => r.Status == "rejected" && r.Message!.Contains("at most"));
        (await f.HeadAsync()).ShouldBe(head);
        (await f.ExportAsync()).ShouldBe(before);
    }

    [Fact]
    public void Options_LimitsMustBePositive()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new Converge.Server.Hosting.ConvergeServerOptions { MaxSetElements = 0 }.Validate());
        Should.Throw<ArgumentOutOfRangeException>(() => new Converge.Server.Hosting.ConvergeServerOptions { MaxCollections = -1 }.Validate());
    }
}
