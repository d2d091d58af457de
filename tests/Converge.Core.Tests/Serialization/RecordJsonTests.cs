using Converge.Core.Clock;
using Converge.Core.Merge;
using Converge.Core.Serialization;
using Converge.Core.Tests.Merge;

namespace Converge.Core.Tests.Serialization;

public sealed class RecordJsonTests
{
    [Fact]
    public void SerializeDeserialize_EveryFieldKind_RoundTripsByteForByte()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"x","tags":["a","b"],"visits":2,"balance":1.50,"extra":{"k":[1]}}""", id));
        f.Applied(f.A.Remove("person", id, "tags", "\"a\""));
        var header = f.State.GetRecord(new RecordKey("person", id))!;

        foreach (var record in new[] { header, RecordSets.Materialize(f.State, header) })
        {
            var bytes = RecordJson.Serialize(record);
            var back = RecordJson.Deserialize(bytes);

            RecordJson.Serialize(back).ShouldBe(bytes);
            back.Key.ShouldBe(record.Key);
            back.Deleted.ShouldBe(HybridTimestamp.MinValue);
            ((Converge.Core.State.SetState)back.Fields["tags"]).Count.ShouldBe(1); // "a" was removed: one present
        }
    }

    [Fact]
    public void SerializeDeserialize_TombstoneAndOwner_Survive()
    {
        var f = new EngineFixture();
        var note = f.A.Create("note", """{"text":"x"}""");
        f.Applied(note, "alice");
        var delete = f.A.Delete("note", note.Record);
        f.Applied(delete, "alice");

        var back = RecordJson.Deserialize(RecordJson.Serialize(f.State.GetRecord(new RecordKey("note", note.Record))!));

        back.Owner.ShouldBe("alice");
        back.Deleted.ShouldBe(delete.Hlc);
        back.IsDeleted.ShouldBeTrue();
    }

    [Fact]
    public void Deserialize_Garbage_ThrowsFormatException()
    {
        Should.Throw<FormatException>(() => RecordJson.Deserialize("""{"c":"x"}"""u8));
    }

    [Fact]
    public void Deserialize_ValuesOutliveTheBytesTheyWereReadFrom()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"kept","tags":["a"],"extra":{"k":[1]}}""", id));
        var bytes = RecordJson.Serialize(RecordSets.Materialize(f.State, f.State.GetRecord(new RecordKey("person", id))!));

        var record = RecordJson.Deserialize(bytes);
        Array.Fill(bytes, (byte)' ');
        GC.Collect();

        ((Converge.Core.State.RegisterState)record.Fields["name"]).Value.GetString().ShouldBe("kept");
        ((Converge.Core.State.RegisterState)record.Fields["extra"]).Value.GetRawText().ShouldBe("""{"k":[1]}""");
        ((Converge.Core.State.SetState)record.Fields["tags"]).Elements!.Values.Single().Value.GetString().ShouldBe("a");
    }

    [Theory]
    [InlineData("""{"i":"0190a000-0000-7000-8000-000000000001","f":{}}""")]
    [InlineData("""{"c":"person","f":{}}""")]
    [InlineData("""{"c":"person","i":"0190a000-0000-7000-8000-00000000001","f":{}}""")]
    [InlineData("""{"c":"person","i":7,"f":{}}""")]
    [InlineData("""{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"name":{"r":"x"}}}""")]
    [InlineData("""{"c":"person","i":"0190a000-0000-7000-8000-000000000001","f":{"name":{}}}""")]
    [InlineData("""{"c":"person","i":"0190a000-0000-7000-8000-000000000001","d":"soon","f":{}}""")]
    [InlineData("""{"c":"person",""")]
    public void Deserialize_NotAStoredRecord_IsAFormatError(string json)
    {
        Should.Throw<FormatException>(() => RecordJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Deserialize_MembersInAnyOrder_AndUnknownOnes_ReadTheSame()
    {
        var json = """{"f":{"name":{"h":"2026-11-21T06:53:36.397295996Z/89F9DD8514914648989315B2D30D7BE5","r":"x","later":1}},"future":true,"i":"0190a000-0000-7000-8000-000000000001","c":"person"}""";

        var record = RecordJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(json));

        record.Key.ShouldBe(new RecordKey("person", Guid.Parse("0190a000-0000-7000-8000-000000000001")));
        ((Converge.Core.State.RegisterState)record.Fields["name"]).Value.GetString().ShouldBe("x");
    }
}
