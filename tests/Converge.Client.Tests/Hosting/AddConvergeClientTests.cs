using Converge.Client.Hosting;
using Converge.Client.Lifecycle;
using Converge.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
    public async Task StartAsync_TwoOptionsMissingOrOutOfRange_FailsNamingBoth()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddConvergeClient(o =>
        {
            o.Replica.Stream = "s";
            o.Replica.PushBatchSize = 0;
        });
        using var host = builder.Build();

        var failure = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        failure.Failures.Count().ShouldBe(2);
        failure.Message.ShouldContain(nameof(ReplicaOptions.Path));
        failure.Message.ShouldContain(nameof(ReplicaOptions.PushBatchSize));
    }

    [Fact]
    public void AddConvergeClient_Twice_AddsNoServiceTwiceAndKeepsBothConfigurations()
    {
        using var directory = new TempDirectory();
        var services = new ServiceCollection();

        services.AddConvergeClient(o => o.Replica.Path = directory.File("replica.db"));
        var once = services.Count;
        services.AddConvergeClient(o => o.Replica.PushBatchSize = 7);

        services.Count(s => s.ServiceType == typeof(IHostedService)).ShouldBe(1);
        services.Count(s => s.ServiceType == typeof(Replica)).ShouldBe(1);
        services.Count.ShouldBe(once + 1, "only the second configuration is added");
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ConvergeClientOptions>>().Value;
        options.Replica.Path.ShouldBe(directory.File("replica.db"));
        options.Replica.PushBatchSize.ShouldBe(7);
    }
}
