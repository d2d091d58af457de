using Converge.Client.Hosting;
using Converge.Client.Lifecycle;
using Converge.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Converge.Client.Tests.Hosting;

public sealed class AddConvergeClientTests
{
    [Fact]
    public async Task AddConvergeClient_InAHost_OpensTheReplicaAndRunsItsSyncLoop()
    {
        await using var world = await SyncWorld.StartAsync();
        var token = await world.Host.TokenAsync("alice", SyncWorld.Stream);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddConvergeClient(o =>
        {
            o.Replica.Path = world.Directory.File("hosted.db");
            o.Replica.Server = world.Host.BaseAddress;
            o.Replica.Stream = SyncWorld.Stream;
            o.Replica.Token = token;
        });
        using var host = builder.Build();
        await host.StartAsync();
        var replica = host.Services.GetRequiredService<Replica>();

        var write = await replica.DefineSchemaAsync(SyncWorld.Schema("""{"person":{"fields":{"name":{"type":"string"}}}}"""));

        (await replica.WaitForConfirmationAsync(write.ActionId).WaitAsync(Eventually.Timeout)).Status.ShouldBe(ActionStatus.Confirmed);
        await host.StopAsync();
        await replica.DisposeAsync();
    }

    [Fact]
    public void AddConvergeClient_WithoutAPath_FailsAtRegistration()
    {
        Should.Throw<ArgumentException>(() => new ServiceCollection().AddConvergeClient(o => o.Replica.Stream = "s"));
    }
}
