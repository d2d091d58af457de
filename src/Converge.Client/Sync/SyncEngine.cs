using System.Diagnostics;
using Converge.Client.Kernel;
using Converge.Client.Storage;
using Converge.Client.Transport;
using Converge.Core.Actions;
using Converge.Core.Errors;

namespace Converge.Client.Sync;

/// <summary>
/// The sync step of docs/protocol.md: pull a batch; when nothing came, push a batch. Network calls happen outside the
/// replica's lock; everything a step changes locally commits in one transaction, so a crash at any point leaves the
/// previous state and the next step resumes. Every transaction re-reads what it depends on, so two openers of one file
/// (an app and <c>converge sync</c>) cannot apply the same thing twice.
/// </summary>
internal sealed class SyncEngine : IDisposable
{
    private readonly ReplicaKernel _kernel;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly PullApplier _puller;
    private readonly Pusher _pusher;
    private readonly Bootstrapper _bootstrapper;
    private readonly Reloader _reloader;

    /// <summary>The push batch size: the option's, or less once a server refused a batch as too large.</summary>
    private int _pushBatch;

    /// <summary>Whether this opening asked the server its limits yet.</summary>
    private bool _limitsLearned;

    public SyncEngine(ReplicaKernel kernel)
    {
        _kernel = kernel;
        _puller = new PullApplier(kernel);
        _pusher = new Pusher(kernel);
        _bootstrapper = new Bootstrapper(kernel);
        _reloader = new Reloader(kernel, _bootstrapper, _pusher);
        _pushBatch = kernel.Options.PushBatchSize;
    }

    private ReplicaFile File => _kernel.File;

    /// <summary>Steps until nothing moves, or the give-up rule after re-stamps says stop; one report for the run.</summary>
    public async Task<SyncReport> RunAsync(IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var giveUp = new RestampGiveUp();
        var first = (await StepAsync(progress, cancellationToken).ConfigureAwait(false)).Report;
        var reports = new List<SyncReport> { first };
        var stop = giveUp.GivesUpAfter(first);
        for (var steps = 1; first.MadeProgress && !stop && steps < 100_000; steps++)
        {
            var next = (await StepAsync(progress, cancellationToken).ConfigureAwait(false)).Report;
            if (!next.MadeProgress)
            {
                break;
            }

            stop = giveUp.GivesUpAfter(next);
            reports.Add(next);
        }

        // Combined once at the end: folding step by step copied everything accepted so far at every step.
        var report = SyncReport.Combine(reports);
        _kernel.OnSynced(report);
        return report;
    }

    /// <summary>One step; its value says what it did.</summary>
    public async Task<SyncStep> StepAsync(IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var transport = _kernel.Transport ?? throw new InvalidOperationException("This replica has no server: open it with ReplicaOptions.Server and Token (or a Transport) to sync.");
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        SyncStep step;
        try
        {
            step = await StepCoreAsync(transport, progress, cancellationToken).ConfigureAwait(false);
            step = step with { Report = step.Report with { Duration = Stopwatch.GetElapsedTime(started) } };
            _pushBatch = step.PushBatch ?? _pushBatch;
            if (!step.OutcomeWritten)
            {
                var report = step.Report;
                await SyncOutcome.RecordAsync(_kernel, report.MadeProgress && !report.Raced ? SyncReport.NameOf(report.Kind) : null, null).ConfigureAwait(false);
            }

            progress?.Report(new SyncProgress(SyncPhase.Done, 1, 1));
        }
        catch (TransportException e)
        {
            await SyncOutcome.RecordAsync(_kernel, null, e.Message).ConfigureAwait(false);
            throw;
        }
        finally
        {
            _oneAtATime.Release();
        }

        if (step.Report.MadeProgress)
        {
            _kernel.OnSynced(step.Report);
        }

        return step;
    }

    /// <summary>Waits for the step under way, if any, to end.</summary>
    public async Task QuiesceAsync()
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        _oneAtATime.Release();
    }

    public void Dispose() => _oneAtATime.Dispose();

    private async Task<SyncStep> StepCoreAsync(ISyncTransport transport, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var (cursor, bootstrapped) = await _kernel.LockedAsync(() => (File.Meta.GetLong(ReplicaKeys.Cursor), File.Meta.Get(ReplicaKeys.Bootstrapped) is not null), cancellationToken).ConfigureAwait(false);
        if (!bootstrapped && cursor == 0)
        {
            var loaded = await _bootstrapper.RunAsync(transport, progress, cancellationToken).ConfigureAwait(false);
            if (loaded is not null)
            {
                return new SyncStep(loaded);
            }
        }

        progress?.Report(new SyncProgress(SyncPhase.Pulling, 0, null));
        var pull = await transport.PullPageAsync(cursor, _kernel.Options.PullBatchSize, cancellationToken).ConfigureAwait(false);
        _kernel.LearnServerTime(pull.ServerTime, pull.SentAt, pull.ReceivedAt);
        await _reloader.LearnPrincipalAsync(pull.Value, cancellationToken).ConfigureAwait(false);
        await LearnLimitsAsync(transport, cancellationToken).ConfigureAwait(false);
        if (pull.Value.Status != PullStatus.Ok)
        {
            return await _reloader.ReloadAsync(transport, new Reload(pull.Value.Status, _pushBatch), progress, cancellationToken).ConfigureAwait(false);
        }

        var page = pull.Value.Page!;
        var pulled = PullApplier.Follow(page, cursor);
        if (pulled.Count > 0)
        {
            progress?.Report(new SyncProgress(SyncPhase.Applying, 0, pulled.Count));
            var atHead = pulled.Count < _kernel.Options.PullBatchSize && page.Head <= pulled[^1].Index;
            return await _kernel.LockedAsync(() => _puller.Apply(pulled, cursor, atHead), cancellationToken).ConfigureAwait(false);
        }

        return await _pusher.PushAsync(transport, new PushOptions(cursor, _pushBatch, SentOnly: false), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the server its limits once per opening (after a pull, so it is known to be Converge) and stores them, so local
    /// writes are checked against the server's own limits; a server that does not say leaves the defaults.
    /// </summary>
    private async Task LearnLimitsAsync(ISyncTransport transport, CancellationToken cancellationToken)
    {
        if (_limitsLearned)
        {
            return;
        }

        if (await transport.GetLimitsAsync(cancellationToken).ConfigureAwait(false) is { } limits)
        {
            var text = limits.ToJson();
            await _kernel.LockedAsync(() => StoreLimits(text), cancellationToken).ConfigureAwait(false);
        }

        _limitsLearned = true;
    }

    private bool StoreLimits(string text)
    {
        if (File.Meta.Get(ReplicaKeys.ServerLimits) == text)
        {
            return false;
        }

        using var transaction = File.Write();
        File.Meta.Set(ReplicaKeys.ServerLimits, text);
        transaction.Commit();
        return true;
    }
}
