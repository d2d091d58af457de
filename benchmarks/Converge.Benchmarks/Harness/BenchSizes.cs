namespace Converge.Benchmarks.Harness;

/// <summary>The sizes of one run: <see cref="Quick"/> (all figures in a few minutes) or <see cref="Full"/> (the sizes).</summary>
internal sealed record BenchSizes
{
    public static BenchSizes Quick { get; } = new()
    {
        Name = "quick",
        LocalWrites = 2_000,
        BatchedWrites = 5_000,
        IngestBatched = 20_000,
        IngestSingle = 2_000,
        PullActions = 20_000,
        RebaseSmall = 10_000,
        RebaseLarge = 100_000,
        RebaseRounds = 15,
        BootstrapRecords = 50_000,
        BacklogWrites = 10_000,
        LatencyClients = 20,
        LatencyWrites = 30,
        CatchUpActions = 100_000,
        PostgresActions = 20_000,
        FairnessPushes = 200,
        FairnessNoisyPushes = 12,
        QueryRecords = 20_000,
        LiveWrites = 200,
        LoopLimit = TimeSpan.FromSeconds(30),
    };

    public static BenchSizes Full { get; } = new()
    {
        Name = "full",
        LocalWrites = 5_000,
        BatchedWrites = 50_000,
        IngestBatched = 100_000,
        IngestSingle = 10_000,
        PullActions = 100_000,
        RebaseSmall = 10_000,
        RebaseLarge = 1_000_000,
        RebaseRounds = 31,
        BootstrapRecords = 1_000_000,
        BacklogWrites = 50_000,
        LatencyClients = 100,
        LatencyWrites = 100,
        CatchUpActions = 1_000_000,
        PostgresActions = 100_000,
        FairnessPushes = 1_000,
        FairnessNoisyPushes = 40,
        QueryRecords = 200_000,
        LiveWrites = 1_000,
        LoopLimit = TimeSpan.FromMinutes(5),
    };

    public required string Name { get; init; }

    /// <summary>B1: single-record writes, one transaction each.</summary>
    public required int LocalWrites { get; init; }

    /// <summary>B2: writes in transactions of 1,000.</summary>
    public required int BatchedWrites { get; init; }

    /// <summary>B3: actions pushed in batches of 100.</summary>
    public required int IngestBatched { get; init; }

    /// <summary>B3: actions pushed one per push.</summary>
    public required int IngestSingle { get; init; }

    /// <summary>B4: creates in the log that a fresh replica pulls.</summary>
    public required int PullActions { get; init; }

    /// <summary>B5: records of the small replica.</summary>
    public required int RebaseSmall { get; init; }

    /// <summary>B5: records of the large replica.</summary>
    public required int RebaseLarge { get; init; }

    /// <summary>B5: rebase steps timed on each replica (the median counts).</summary>
    public required int RebaseRounds { get; init; }

    /// <summary>B6: records of the snapshotted stream.</summary>
    public required int BootstrapRecords { get; init; }

    /// <summary>B10: offline writes one replica queues and then pushes.</summary>
    public required int BacklogWrites { get; init; }

    /// <summary>B7: connected replicas.</summary>
    public required int LatencyClients { get; init; }

    /// <summary>B7: writes timed.</summary>
    public required int LatencyWrites { get; init; }

    /// <summary>B8: actions the child process catches up.</summary>
    public required int CatchUpActions { get; init; }

    /// <summary>B9: actions pushed in each of the two cases.</summary>
    public required int PostgresActions { get; init; }

    /// <summary>B11: one-action pushes to the quiet stream timed, alone and beside the noise.</summary>
    public required int FairnessPushes { get; init; }

    /// <summary>B11: pushes of the most actions prepared for the noisy stream (it stops when the quiet ones are done).</summary>
    public required int FairnessNoisyPushes { get; init; }

    /// <summary>Q1-Q5: records of the queried collection, on the replica and in the raw table.</summary>
    public required int QueryRecords { get; init; }

    /// <summary>Q4: local writes timed to the live query's new result.</summary>
    public required int LiveWrites { get; init; }

    /// <summary>The longest any one measured loop may run; it stops early and reports what it did.</summary>
    public required TimeSpan LoopLimit { get; init; }
}
