using Converge.Core.Actions;
using Converge.Core.Merge;

namespace Converge.Core.Tests.Merge;

public sealed class OnConflictTests
{
    [Fact]
    public void Create_ExistingRecordWithMerge_MergesFieldByField()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha","age":30}""", id));

        f.Applied(f.B.Create("person", """{"name":"Grigory","ssn":123}""", id)).Status.ShouldBe(ApplyStatus.Applied);

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","age":30,"name":"Grigory","ssn":123}""");
    }

    [Fact]
    public void Create_ExistingRecordWithIgnore_LeavesIt()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha"}""", id));

        f.Applied(f.B.Create("person", """{"name":"Grigory"}""", id, OnConflict.Ignore)).Status.ShouldBe(ApplyStatus.NoOp);

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","name":"Grisha"}""");
    }

    [Fact]
    public void Create_ExistingRecordWithOverwrite_ClearsOlderUnnamedFields()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        f.Applied(f.A.Create("person", """{"name":"Grisha","age":30,"tags":["a"],"visits":2}""", id));

        f.Applied(f.B.Create("person", """{"name":"Grigory"}""", id, OnConflict.Overwrite));

        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","name":"Grigory","visits":2}""");
    }

    [Fact]
    public void Create_OverwriteOlderThanTheFields_KeepsThem()
    {
        var f = new EngineFixture();
        var id = Guid.CreateVersion7();
        var overwrite = f.B.Create("person", """{"name":"Grigory"}""", id, OnConflict.Overwrite);
        f.Time.Advance(TimeSpan.FromMilliseconds(1));
        f.Applied(f.A.Create("person", """{"name":"Grisha","age":30}""", id));

        var result = f.Applied(overwrite);

        result.Status.ShouldBe(ApplyStatus.NoOp);
        result.Conflicts.ShouldHaveSingleItem().Field.ShouldBe("name");
        f.View("person", id).ShouldBe($$"""{"id":"{{id}}","age":30,"name":"Grisha"}""");
    }
}
