using Converge.Server.Storage;

namespace Converge.Testing.Stores;

/// <summary>The client registry's part of the contract: a client id belongs to the first principal that used it.</summary>
public abstract partial class ConvergeStoreContract
{
    [Fact]
    public async Task BindClient_FirstPrincipalOwnsTheId_OnItsStreamOnly()
    {
        var store = await CreateStoreAsync();
        var client = Guid.CreateVersion7();

        (await store.BindClientAsync("s", client, "alice", Now)).ShouldBe("alice");
        (await store.BindClientAsync("s", client, "bob", Now)).ShouldBe("alice");
        (await store.BindClientAsync("s", client, "alice", Now)).ShouldBe("alice");
        (await store.BindClientAsync("other", client, "bob", Now)).ShouldBe("bob");

        var info = (await store.ListClientsAsync("s")).ShouldHaveSingleItem();
        info.Principal.ShouldBe("alice");
        info.Cursor.ShouldBeNull();
        info.LastSeen.ShouldBe(Now);
    }

    [Fact]
    public async Task BindClient_ManyPrincipalsAtOnce_AllGetTheSameOneOwner()
    {
        var store = await CreateStoreAsync();
        var client = Guid.CreateVersion7();
        var principals = Enumerable.Range(0, 8).Select(i => $"p{i}").ToList();

        var owners = await Task.WhenAll(principals.Select(p => Task.Run(async () => await store.BindClientAsync("s", client, p, Now))));

        owners.Distinct().ShouldHaveSingleItem().ShouldBeOneOf([.. principals]);
        (await store.BindClientAsync("s", client, "late", Now)).ShouldBe(owners[0]);
    }

    [Fact]
    public async Task TouchClient_ByAnotherPrincipalThanTheOwner_ChangesNothing()
    {
        var store = await CreateStoreAsync();
        var client = Guid.CreateVersion7();
        await store.BindClientAsync("s", client, "alice", Now);
        await store.TouchClientAsync(new ClientVisit("s", client, "alice", 3, Now.AddMinutes(1)));

        await store.TouchClientAsync(new ClientVisit("s", client, "bob", 9, Now.AddMinutes(2)));

        var info = (await store.ListClientsAsync("s")).ShouldHaveSingleItem();
        info.Principal.ShouldBe("alice");
        info.Cursor.ShouldBe(3);
        info.LastSeen.ShouldBe(Now.AddMinutes(1));
    }

    [Fact]
    public async Task TouchClient_OfANewId_BindsItToTheVisitor()
    {
        var store = await CreateStoreAsync();
        var client = Guid.CreateVersion7();

        await store.TouchClientAsync(new ClientVisit("s", client, "alice", 3, Now));

        (await store.BindClientAsync("s", client, "bob", Now)).ShouldBe("alice");
    }
}
