using Converge.Client.Transport;

namespace Converge.Client;

/// <summary>Options of a replica. Every property has a documented default; <see cref="Path"/> is required.</summary>
public sealed class ReplicaOptions
{
    /// <summary>The replica's SQLite file; created when missing. Required.</summary>
    public string Path { get; set; } = "";

    /// <summary>The server's base address. Stored in the file the first time; default: what the file holds.</summary>
    public Uri? Server { get; set; }

    /// <summary>The stream this replica holds. Stored in the file the first time; default: what the file holds.</summary>
    public string? Stream { get; set; }

    /// <summary>The bearer token. Stored in the file when given; default: what the file holds.</summary>
    public string? Token { get; set; }

    /// <summary>True for <c>synchronous=FULL</c>: a write survives the device losing power, at a cost per write. Default false
    /// (<c>NORMAL</c>: a write survives the app being killed).</summary>
    public bool FullDurability { get; set; }

    /// <summary>The clock. Default the system clock.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Makes the ids of new actions, records and of the replica itself. Default <see cref="Guid.CreateVersion7()"/>;
    /// a seeded generator makes a simulation replay exactly.</summary>
    public Func<Guid> NewId { get; set; } = Guid.CreateVersion7;

    /// <summary>Test-only hooks (fault points, planted bugs); visible to the test assemblies alone. Default none.</summary>
    internal Kernel.IReplicaTestHooks? TestHooks { get; set; }

    /// <summary>The transport; default HTTP and WebSocket to <see cref="Server"/>.</summary>
    public ISyncTransport? Transport { get; set; }

    /// <summary>The most actions one push sends. Default 500.</summary>
    public int PushBatchSize { get; set; } = 500;

    /// <summary>The most actions one pull asks for. Default 1,000.</summary>
    public int PullBatchSize { get; set; } = 1000;

    /// <summary>How long the sync loop waits when there is nothing to do (a local write or a server notification wakes it). Default 60 seconds.</summary>
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the sync loop waits after the first network failure; it doubles after each further one. Default 5 seconds.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between retries. Default 5 minutes.</summary>
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>True to listen on the server's watch WebSocket while the loop runs, to sync as soon as others write. Default true.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>The seed of the loop's jitter; default a random one.</summary>
    public int? JitterSeed { get; set; }

    /// <summary>Checks the options; throws naming the first one out of range.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public void Validate()
    {
        if (Failures().FirstOrDefault() is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Every option missing or out of range, each named; empty when all are valid.</summary>
    internal IEnumerable<ArgumentException> Failures()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return new ArgumentException("A replica needs a file: set ReplicaOptions.Path.", nameof(Path));
        }

        if (PushBatchSize < 1 || PullBatchSize < 1)
        {
            yield return new ArgumentOutOfRangeException(nameof(PushBatchSize), "Batch sizes must be positive.");
        }

        if (IdleInterval <= TimeSpan.Zero || RetryInterval <= TimeSpan.Zero || MaxRetryInterval < RetryInterval)
        {
            yield return new ArgumentOutOfRangeException(nameof(RetryInterval), "Loop intervals must be positive, and MaxRetryInterval at least RetryInterval.");
        }
    }
}
