using System.Text.Json;

namespace Converge.Cli.Tests.Commands;

/// <summary><c>converge rejections</c>: listing this replica's rejected actions, and clearing them.</summary>
public sealed class RejectionsCommandTests
{
    [Fact]
    public async Task RejectionsClear_PrintsHowManyWereCleared_AndTheListAndCountAreEmptyAfter()
    {
        await using var world = await CliWorld.StartAsync();
        var file = await world.ReplicaAsync("r");
        await world.FailsAsync(1, "put", "--replica", file, "animal", """{"name":"Rex"}""");
        await world.FailsAsync(1, "put", "--replica", file, "animal", """{"name":"Tom"}""");
        using (var listed = JsonDocument.Parse(await world.OkAsync("rejections", "--replica", file)))
        {
            listed.RootElement.GetArrayLength().ShouldBe(2);
        }

        (await world.OkAsync("rejections", "--replica", file, "--clear")).ShouldBe("""{"cleared":2}""");

        (await world.OkAsync("rejections", "--replica", file)).ShouldBe("[]");
        using (var status = JsonDocument.Parse(await world.OkAsync("status", "--replica", file)))
        {
            status.RootElement.GetProperty("rejections").GetInt64().ShouldBe(0);
        }

        (await world.OkAsync("rejections", "--replica", file, "--clear")).ShouldBe("""{"cleared":0}""");
    }
}
