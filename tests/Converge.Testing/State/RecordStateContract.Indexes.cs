using Converge.Core.Merge;

namespace Converge.Testing.State;

/// <summary>The contract's set elements, aliases and unique entries.</summary>
public abstract partial class RecordStateContract
{
    [Fact]
    public async Task GetElements_GivesTheAskedKeysThatAreStored_OfThatRecordAndFieldOnly()
    {
        var state = await CreateStateAsync();
        state.SetElement(Ann, "tags", "\"a\"", Element("\"a\"", 1, 0));
        state.SetElement(Ann, "tags", "\"b\"", Element("\"b\"", 1, 2));
        state.SetElement(Ann, "other", "\"c\"", Element("\"c\"", 1, 0));
        state.SetElement(Bob, "tags", "\"c\"", Element("\"c\"", 3, 0));

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            var found = reader.GetElements(Ann, "tags", ["\"b\"", "\"c\"", "\"a\""]);
            found.Keys.Order(StringComparer.Ordinal).ShouldBe(["\"a\"", "\"b\""]);
            Text(found["\"b\""]).ShouldBe(Text(Element("\"b\"", 1, 2)));
            reader.GetElements(Ann, "tags", []).ShouldBeEmpty();
            reader.GetElements(AnnAsNote, "tags", ["\"a\""]).ShouldBeEmpty();
            Keys(reader.ReadElements(Bob, "tags")).ShouldBe(["\"c\""]);
        }
    }

    [Fact]
    public async Task SetElement_Again_ReplacesIt_AndNullRemovesIt()
    {
        var state = await CreateStateAsync();
        state.SetElement(Ann, "tags", "\"a\"", Element("\"a\"", 1, 0));
        state.SetElement(Ann, "tags", "\"b\"", Element("\"b\"", 1, 0));

        state.SetElement(Ann, "tags", "\"a\"", Element("\"a\"", 1, 4));
        state.SetElement(Ann, "tags", "\"b\"", null);
        state.SetElement(Ann, "tags", "\"never\"", null);

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            var element = reader.ReadElements(Ann, "tags").ShouldHaveSingleItem();
            element.Key.ShouldBe("\"a\"");
            Text(element.Value).ShouldBe(Text(Element("\"a\"", 1, 4)));
        }
    }

    [Fact]
    public async Task ReadElements_AreInOrdinalKeyOrder_NotInUtf8ByteOrder()
    {
        var state = await CreateStateAsync();
        // UTF-16 ordinal order puts a surrogate pair (U+1F600) before U+FF21; UTF-8 byte order puts it after.
        string[] keys = ["\"\uFF21\"", "\"b\"", "\"\U0001F600\"", "\"B\"", "1", "\"é\""];
        foreach (var key in keys)
        {
            state.SetElement(Ann, "tags", key, Element(key, 1, 0));
        }

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            Keys(reader.ReadElements(Ann, "tags")).ShouldBe([.. keys.Order(StringComparer.Ordinal)]);
            reader.ReadElements(Bob, "tags").ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task Alias_SetReplacedAndRemoved_ByExactKey()
    {
        var state = await CreateStateAsync();
        var canonical = Guid.Parse("018f0000-0000-7000-8000-0000000000ca");
        state.GetAlias(Ann).ShouldBeNull();

        state.SetAlias(Ann, Bob.Id);
        state.SetAlias(Ann, canonical);
        state.SetAlias(Bob, Ann.Id);
        state.SetAlias(Bob, null);
        state.SetRecord(new RecordKey("person", canonical), Record(new RecordKey("person", canonical), null));

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            reader.GetAlias(Ann).ShouldBe(canonical);
            reader.GetAlias(Bob).ShouldBeNull();
            reader.GetAlias(AnnAsNote).ShouldBeNull();
            // Reads take the key as given: resolving an alias is the engine's business.
            reader.GetRecord(Ann).ShouldBeNull();
        }
    }

    [Fact]
    public async Task Unique_HeldMovedAndFreed_ByCollectionFieldAndValue()
    {
        var state = await CreateStateAsync();
        var email = new UniqueKey("person", "email", "\"ann@example.com\"");
        var other = new UniqueKey("person", "email", "\"bob@example.com\"");
        state.GetUnique(email).ShouldBeNull();

        state.SetUnique(email, Bob.Id);
        state.SetUnique(email, Ann.Id);
        state.SetUnique(other, Bob.Id);
        state.SetUnique(other, null);
        state.SetUnique(email with { Collection = "note" }, Bob.Id);

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            reader.GetUnique(email).ShouldBe(Ann.Id);
            reader.GetUnique(other).ShouldBeNull();
            reader.GetUnique(email with { Field = "name" }).ShouldBeNull();
            reader.GetUnique(email with { Collection = "note" }).ShouldBe(Bob.Id);
        }
    }

    [Fact]
    public async Task Unique_LongValue_IsKeptWhole()
    {
        var state = await CreateStateAsync();
        var prefix = new string('x', 4000);
        var first = new UniqueKey("person", "bio", $"\"{prefix}1\"");
        var second = new UniqueKey("person", "bio", $"\"{prefix}2\"");

        state.SetUnique(first, Ann.Id);
        state.SetUnique(second, Bob.Id);

        foreach (var reader in new[] { state, await ReopenAsync(state) })
        {
            reader.GetUnique(first).ShouldBe(Ann.Id);
            reader.GetUnique(second).ShouldBe(Bob.Id);
        }
    }
}
