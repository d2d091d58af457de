using Converge.Testing;

namespace Converge.Packaging.Tests;

/// <summary>
/// The repository's packages, packed once (as the tests were built) into a folder feed in a temp directory, with a NuGet.config beside
/// it that adds the feed to the machine's own sources. Restores through it extract into a packages folder of its own
/// (the machine's is a read-only fallback), so nothing of Converge's lands in the machine's NuGet cache.
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    /// <summary>The packable projects.</summary>
    private static readonly string[] Projects =
        ["Converge.Core", "Converge.Sqlite", "Converge.Client", "Converge.Server", "Converge.Server.Sqlite", "Converge.Server.Postgres", "Converge.Cli"];

    public TempDirectory Directory { get; } = new();

    public string Feed => Directory.File("feed");

    public string ConfigFile => Directory.File("NuGet.config");

    /// <summary>The version every package got (from the repository's one place for it).</summary>
    public string Version { get; private set; } = "";

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Feed);
        // What the test run built (this project references every packable one), packed as built: no second build in
        // Release keeps the suite short. `dotnet pack -c Release` differs only in optimization and Source Link.
        foreach (var project in Projects)
        {
            await DotnetCommand.RunAsync("dotnet", ["pack", Project(project), "-c", Configuration, "--no-build", "-o", Feed], RepositoryPaths.Root);
        }

        var client = System.IO.Directory.GetFiles(Feed, "Converge.Client.*.nupkg").Single();
        Version = Path.GetFileNameWithoutExtension(client)["Converge.Client.".Length..];
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(ConfigFile, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Directory.File("packages")}" />
              </config>
              <packageSources>
                <add key="converge-local" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    public Task DisposeAsync()
    {
        Directory.Dispose();
        return Task.CompletedTask;
    }

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string Project(string name) => Path.Combine(RepositoryPaths.Root, "src", name, $"{name}.csproj");
}
