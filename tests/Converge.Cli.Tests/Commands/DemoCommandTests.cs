using Converge.Testing;

namespace Converge.Cli.Tests.Commands;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_RunsSelfContained_ShowsTheConflictsAndConverges()
    {
        using var directory = new TempDirectory();

        var (code, stdout, stderr) = await CliProcess.RunAsync(["demo"], directory.Path);

        code.ShouldBe(0, stderr);
        stderr.ShouldBeEmpty();
        stdout.ShouldContain("hit a deleted record");
        stdout.ShouldContain("lost to \"Ada Lovelace\"");
        stdout.ShouldContain("Cannot reach");
        stdout.ShouldContain("\"tags\":[\"math\",\"poetry\"]");
        stdout.ShouldContain("Converged: the server and all three devices hold byte-identical state.");
        stdout.ShouldNotContain("\u001b[");
        Directory.EnumerateFileSystemEntries(directory.Path).ShouldBeEmpty();
    }
}
