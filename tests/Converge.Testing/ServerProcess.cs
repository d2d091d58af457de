namespace Converge.Testing;

/// <summary>A real <c>converge serve</c> process on 127.0.0.1 and a free port, over a SQLite file.</summary>
public sealed class ServerProcess : IDisposable
{
    private ServerProcess(CliProcess process, Uri baseAddress)
    {
        Cli = process;
        BaseAddress = baseAddress;
    }

    public CliProcess Cli { get; }

    public Uri BaseAddress { get; }

    /// <summary>Starts the server and waits until <c>/healthz</c> answers.</summary>
    public static Task<ServerProcess> StartAsync(string database, int? port = null, IDictionary<string, string>? environment = null) =>
        StartAsync(["--db", database], port, environment);

    /// <summary>Starts the server over the store the arguments name (<c>--db FILE</c> or <c>--postgres CONNSTR</c>).</summary>
    public static async Task<ServerProcess> StartAsync(string[] store, int? port = null, IDictionary<string, string>? environment = null)
    {
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort.Next()}");
        var process = CliProcess.Start(["serve", .. store, "--urls", address.ToString().TrimEnd('/')], environment: environment);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        // A cold start of a .NET process on a loaded 2-core machine can take tens of seconds.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.Process.HasExited)
            {
                throw new InvalidOperationException($"converge serve exited with {process.Process.ExitCode}: {process.Stderr}");
            }

            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return new ServerProcess(process, address);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        var stderr = process.Stderr;
        process.Dispose();
        throw new TimeoutException($"converge serve did not answer /healthz within 120 seconds: {stderr}");
    }

    /// <summary>SIGKILL: the process dies with no chance to flush or shut down.</summary>
    public void Kill() => Cli.Kill();

    public void Dispose() => Cli.Dispose();
}
