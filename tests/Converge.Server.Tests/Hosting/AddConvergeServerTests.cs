using Converge.Server.Hosting;
using Converge.Server.Storage;
using Converge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Converge.Server.Tests.Hosting;

/// <summary>The server registers like an ASP.NET Core feature: options checked at start, every service added once.</summary>
public sealed class AddConvergeServerTests
{
    [Fact]
    public async Task StartAsync_TwoOptionsOutOfRange_FailsNamingBoth()
    {
        using var directory = new TempDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddConvergeServer(o =>
        {
            o.MaxActionsPerPush = 0;
            o.WatchKeepAlive = TimeSpan.Zero;
        }).UseSqlite(directory.File("server.db"));
        await using var app = builder.Build();
        app.MapConverge();

        var failure = await Should.ThrowAsync<OptionsValidationException>(() => app.StartAsync());

        failure.Failures.Count().ShouldBe(2);
        failure.Message.ShouldContain(nameof(ConvergeServerOptions.MaxActionsPerPush));
        failure.Message.ShouldContain(nameof(ConvergeServerOptions.WatchKeepAlive));
    }

    [Fact]
    public void AddConvergeServer_Twice_AddsNoServiceTwiceAndKeepsBothConfigurations()
    {
        using var directory = new TempDirectory();
        var services = new ServiceCollection();
        services.AddLogging();

        services.AddConvergeServer(o => o.MaxActionsPerPush = 7).UseSqlite(directory.File("one.db"));
        var once = services.Select(s => s.ServiceType).ToList();
        services.AddConvergeServer(o => o.DefaultPullLimit = 9).UseSqlite(directory.File("two.db"));

        services.Count(s => s.ServiceType == typeof(IHostedService)).ShouldBe(1);
        services.Count(s => s.ServiceType == typeof(IConvergeStore)).ShouldBe(1);
        services.Count(s => s.ServiceType == typeof(IValidateOptions<ConvergeServerOptions>)).ShouldBe(1);
        services.Where(s => s.ServiceType != typeof(IConfigureOptions<ConvergeServerOptions>)).Select(s => s.ServiceType)
            .ShouldBe(once.Where(t => t != typeof(IConfigureOptions<ConvergeServerOptions>)));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ConvergeServerOptions>>().Value;
        options.MaxActionsPerPush.ShouldBe(7);
        options.DefaultPullLimit.ShouldBe(9);
    }
}
