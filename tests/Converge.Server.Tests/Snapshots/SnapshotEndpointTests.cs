using System.Net;
using System.Net.Http.Json;
using Converge.Core.Export;
using Converge.Core.Protocol;
using Converge.Core.State;

namespace Converge.Server.Tests.Snapshots;

public sealed class SnapshotEndpointTests
{
    [Fact]
    public async Task Snapshot_BeforeAnyIsMade_IsNoSnapshot()
    {
        await using var f = await ServerFixture.StartAsync();

        using var response = await f.Client.GetAsync($"/v1/streams/{ServerFixture.Stream}/snapshot");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Testing.Wire.ProblemCodeAsync(response)).ShouldBe("no_snapshot");
    }

    [Fact]
    public async Task Snapshot_Body_IsImmutableCacheableAndHoldsTheState()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PushAsync(f.Writer.Create("person", """{"name":"Ann","visits":3}"""));
        await f.Host.Maintenance.RunOnceAsync(forceSnapshot: true);

        var info = (await f.Client.GetFromJsonAsync($"/v1/streams/{ServerFixture.Stream}/snapshot", ConvergeJsonContext.Default.SnapshotInfo))!;
        using var body = await f.Client.GetAsync(info.Href);
        var bytes = await body.Content.ReadAsByteArrayAsync();

        info.Index.ShouldBe(2);
        info.Href.ShouldBe($"/v1/streams/{ServerFixture.Stream}/snapshots/{info.Digest}");
        body.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.Headers.ETag!.Tag.ShouldBe($"\"{info.Digest}\"");
        body.Headers.CacheControl!.ToString().ShouldBe("public, max-age=31536000, immutable");
        body.Content.Headers.ContentType!.MediaType.ShouldBe("application/gzip");
        CanonicalExport.Digest(bytes).ShouldBe(info.Digest);
        var state = new InMemoryRecordState();
        SnapshotFormat.Load(new MemoryStream(bytes), state).Index.ShouldBe(2);
        CanonicalExport.ToText(state).ShouldBe(await f.ExportAsync());
    }

    [Fact]
    public async Task Snapshot_IfNoneMatch_IsNotModified()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Host.Maintenance.RunOnceAsync(forceSnapshot: true);
        var info = (await f.Client.GetFromJsonAsync($"/v1/streams/{ServerFixture.Stream}/snapshot", ConvergeJsonContext.Default.SnapshotInfo))!;
        using var request = new HttpRequestMessage(HttpMethod.Get, info.Href);
        request.Headers.TryAddWithoutValidation("If-None-Match", $"\"{info.Digest}\"");

        using var response = await f.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("not-a-digest")]
    public async Task Snapshot_UnknownDigest_IsNotFound(string digest)
    {
        await using var f = await ServerFixture.StartAsync();

        using var response = await f.Client.GetAsync($"/v1/streams/{ServerFixture.Stream}/snapshots/{digest}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Maintenance_SnapshotsEveryNActions()
    {
        await using var f = await ServerFixture.StartAsync(o => o.SnapshotEveryActions = 3);
        await f.Host.Maintenance.RunOnceAsync();
        (await f.Host.Store.GetLatestSnapshotAsync(ServerFixture.Stream)).ShouldBeNull();

        await f.PushAsync(f.Writer.Create("person", "{}"), f.Writer.Create("person", "{}"));
        await f.Host.Maintenance.RunOnceAsync();

        (await f.Host.Store.GetLatestSnapshotAsync(ServerFixture.Stream))!.Index.ShouldBe(3);
    }
}
