using System.Text.Json;
using Converge.Testing;

namespace Converge.Client.Tests.Typed;

/// <summary>The typed API over source-generated JSON contracts, as a trimmed or AOT-compiled app uses it.</summary>
public sealed class SourceGeneratedJsonTests
{
    [Fact]
    public async Task Collection_OfAJsonTypeInfo_DerivesTheSameSchemaAsReflection()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");

        var generated = replica.Collection(TypedTestJson.Default.Account);
        var reflected = replica.Collection<Account>();

        generated.Name.ShouldBe(reflected.Name);
        generated.Schema.Fields.Keys.ShouldBe(reflected.Schema.Fields.Keys);
        generated.Schema.Fields.Values.ShouldBe(reflected.Schema.Fields.Values);
        replica.Collection(TypedTestJson.Default.Account).ShouldBeSameAs(generated);
    }

    [Fact]
    public async Task Collection_OfAJsonSerializerContext_WritesSyncsAndReadsTyped()
    {
        await using var world = await SyncWorld.StartAsync();
        var one = await world.OpenAsync("one");
        var two = await world.OpenAsync("two");
        var accounts = one.Collection<Account>(TypedTestJson.Default);
        var id = (await accounts.InsertAsync(new Account { Name = "Ann", Tier = Tier.Silver, Points = 5, Tags = ["new"] })).Record!.Value;
        await accounts.Patch(id).Increment(a => a.Points, 2).Add(a => a.Tags, "vip").SaveAsync();

        await world.ConvergeAsync(one, two);

        var read = (await two.Collection<Account>(TypedTestJson.Default).GetAsync(id)).ShouldNotBeNull();
        read.Name.ShouldBe("Ann");
        read.Tier.ShouldBe(Tier.Silver);
        read.Points.ShouldBe(7);
        read.Tags.ShouldBe(["new", "vip"], ignoreOrder: true);
        var stored = JsonDocument.Parse((await two.GetAsync("accounts", id))!.Value.GetRawText()).RootElement;
        stored.GetProperty("tier").GetString().ShouldBe("Silver");
    }

    [Fact]
    public async Task Collection_OfAContextWithoutTheType_ThrowsNamingIt()
    {
        await using var world = await SyncWorld.StartAsync();
        var replica = await world.OpenAsync("one");

        Should.Throw<ArgumentException>(() => replica.Collection<WithIdTwin>(TypedTestJson.Default)).Message.ShouldContain(nameof(WithIdTwin));
    }
}
