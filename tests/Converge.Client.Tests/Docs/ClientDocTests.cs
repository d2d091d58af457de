using Converge.Testing;

namespace Converge.Client.Tests.Docs;

public sealed class ClientDocTests
{
    [Fact]
    public void ClientDoc_ShowsTheSampleAsItIs()
    {
        var sample = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "Converge.Samples.Todo", "Program.cs"));
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "client.md"));

        doc.ShouldContain("```csharp\n" + sample + "```");
    }
}
