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
    public static string CliDll => Built("src/Converge.Cli", "converge.dll");

    /// <summary>The built output of a project of this repository, in the configuration of the running tests.</summary>
    public static string Built(string projectFolder, string dll)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(Root, projectFolder, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {projectFolder} first (dotnet build).", path);
    }
}
