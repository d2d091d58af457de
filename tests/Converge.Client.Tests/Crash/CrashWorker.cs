using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Converge.Testing;

namespace Converge.Client.Tests.Crash;

/// <summary>
/// One run of tests/Converge.Client.CrashWorker: its output lines in order, each action id it reported as written
/// added to a shared bag; killed with SIGKILL.
/// </summary>
internal sealed class CrashWorker : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _stderr = new();

    private CrashWorker(Process process, ConcurrentBag<string> written)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                _lines.CompleteAdding();
                return;
            }

            if (line.StartsWith("wrote ", StringComparison.Ordinal))
            {
                written.Add(line[6..]);
            }

            _lines.Add(line);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static CrashWorker Start(string replica, Uri server, string token, Guid counter, ConcurrentBag<string> written)
    {
        // Standard input stays open while the test holds it: the worker ends by itself if the test dies first.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { RepositoryPaths.Built("tests/Converge.Client.CrashWorker", "Converge.Client.CrashWorker.dll"), replica, server.ToString(), SyncWorld.Stream, token, counter.ToString() })
        {
            info.ArgumentList.Add(argument);
        }

        return new CrashWorker(Process.Start(info)!, written);
    }

    /// <summary>The next output line that matches, skipping the others; fails if the worker ends or says nothing for a long while.</summary>
    public Task<string> NextAsync(Func<string, bool> match) => Task.Run(() =>
    {
        using var timeout = new CancellationTokenSource(Eventually.Timeout);
        try
        {
            foreach (var line in _lines.GetConsumingEnumerable(timeout.Token))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The crash worker printed nothing awaited for {Eventually.Timeout.TotalSeconds:0} s. Its stderr: {Stderr}");
        }

        throw new InvalidOperationException($"The crash worker ended before it was killed. Its stderr: {Stderr}");
    });

    /// <summary>SIGKILL, then waits until it is gone and its output is read to the end.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _lines.Dispose();
    }

    private string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }
}
