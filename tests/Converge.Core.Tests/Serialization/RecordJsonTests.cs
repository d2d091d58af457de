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
        var record = f.State.GetRecord(new RecordKey("person", id))!;

        var bytes = RecordJson.Serialize(record);
        var back = RecordJson.Deserialize(bytes);

        RecordJson.Serialize(back).ShouldBe(bytes);
        back.Key.ShouldBe(record.Key);
        back.Deleted.ShouldBe(HybridTimestamp.MinValue);
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
}
