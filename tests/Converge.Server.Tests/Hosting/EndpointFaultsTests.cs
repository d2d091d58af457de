using System.Net.Sockets;
using System.Text;
using Converge.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Converge.Server.Tests.Hosting;

/// <summary>What Converge's endpoints answer when a request fails inside them rather than in their own checks.</summary>
public sealed class EndpointFaultsTests
{
    [Fact]
    public async Task Push_ABodyKestrelRejects_Answers400ProblemNotInternalError()
    {
        await using var host = await HostApp.StartAsync(app => app.MapConverge());
        var token = await host.TokenAsync("alice", "team");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.BaseAddress.Port);
        var stream = tcp.GetStream();

        // A chunk size that is not hex: Kestrel throws BadHttpRequestException from the body read, bad input and no fault.
        var request = "POST /v1/streams/team/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + $"Authorization: Bearer {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "zz\r\n{}\r\n0\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        response.ShouldStartWith("HTTP/1.1 400");
        response.ShouldContain("application/problem+json");
        response.ShouldContain("\"code\":\"invalid_body\"");
    }
}
