namespace Converge.Testing;

/// <summary>Where things are in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding Converge.slnx.</summary>
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Converge.slnx")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("The tests do not run inside the Converge repository.");
        }
    }

    /// <summary>The built <c>converge</c> command (same configuration as the running tests).</summary>
    public static string CliDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(Root, "src", "Converge.Cli", "bin", configuration, "net10.0", "converge.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the CLI first (dotnet build).", path);
        }
    }
}
