using System.Text.Json;
using Converge.Client;
using Converge.Testing;

namespace Converge.Packaging.Tests;

/// <summary>The packages as a user gets them: a trimmed app built on them works, and the tool installs and runs.</summary>
[Trait("Category", "Packaging")]
public sealed class PackagingTests(PackageFeed feed) : IClassFixture<PackageFeed>
{
    private const string Stream = "trimmed";

    [Fact]
    public async Task PublishTrimmed_AppOnThePackages_WritesSyncsAndReadsTyped()
    {
        await using var server = await ServerHost.StartAsync();
        var token = await server.TokenAsync("app", Stream);
        var app = feed.Directory.File("app");
        CopyDirectory(Path.Combine(RepositoryPaths.Root, "tests", "Converge.Packaging.Tests", "TrimmedApp"), app);
        var published = feed.Directory.File("published");

        // Warnings are errors in the app, so a trim warning of any Converge assembly fails the publish.
        await DotnetCommand.RunAsync("dotnet", ["publish", "-c", "Release", "-r", "linux-x64", "--self-contained", $"-p:ConvergeVersion={feed.Version}", "-o", published], app);
        var run = feed.Directory.File("run");
        Directory.CreateDirectory(run);
        var output = await DotnetCommand.RunAsync(Path.Combine(published, "TrimmedApp"), [server.BaseAddress.ToString(), token, run], run);

        File.Exists(Path.Combine(published, "TrimmedApp.dll")).ShouldBeTrue();
        using var report = JsonDocument.Parse(output);
        var id = report.RootElement.GetProperty("id").GetGuid();
        report.RootElement.GetProperty("status").GetString().ShouldBe("Confirmed");
        var read = report.RootElement.GetProperty("read");
        read.GetProperty("text").GetString().ShouldBe("written by a trimmed app");
        read.GetProperty("stars").GetInt64().ShouldBe(3);
        read.GetProperty("kind").GetString().ShouldBe("Idea");
        read.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["trimmed", "typed"], ignoreOrder: true);
        await using var check = Replica.Open(new ReplicaOptions { Path = feed.Directory.File("check.db"), Server = server.BaseAddress, Stream = Stream, Token = token });
        await check.SyncAsync();
        var stored = (await check.GetAsync("note", id)).ShouldNotBeNull();
        stored.GetProperty("text").GetString().ShouldBe("written by a trimmed app");
    }

    [Fact]
    public async Task DotnetToolInstall_FromTheFeed_InstallsTheConvergeCommand()
    {
        var tools = feed.Directory.File("tools");

        await DotnetCommand.RunAsync("dotnet", ["tool", "install", "Converge.Cli", "--version", feed.Version, "--add-source", feed.Feed, "--configfile", feed.ConfigFile, "--tool-path", tools], feed.Directory.Path);
        var help = await DotnetCommand.RunAsync(Path.Combine(tools, "converge"), ["--help"], feed.Directory.Path);

        help.ShouldContain("converge: an offline-first sync engine for .NET");
        help.ShouldContain("serve");
        help.ShouldContain("demo");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
