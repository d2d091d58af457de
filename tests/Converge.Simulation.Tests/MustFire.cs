using System.Collections.Concurrent;

namespace Converge.Simulation.Tests;

/// <summary>Rare paths each batch must reach at least once, so the faults provably exercise them.</summary>
internal sealed class MustFire
{
    public const string CrashDuringRebase = "a crash during a rebase";
    public const string DuplicateAfterLostReply = "a duplicate after a lost reply";
    public const string IdentityUnification = "a unique-identity unification";
    public const string DriftThenRetry = "a drift rejection then a successful retry";
    public const string BootstrapWithPending = "a bootstrap with pending actions";

    public static readonly string[] All = [CrashDuringRebase, DuplicateAfterLostReply, IdentityUnification, DriftThenRetry, BootstrapWithPending];

    private readonly ConcurrentDictionary<string, int> _hits = new();

    public void Hit(string check) => _hits.AddOrUpdate(check, 1, (_, n) => n + 1);

    public int Count(string check) => _hits.GetValueOrDefault(check);

    public IEnumerable<string> Missing => All.Where(c => Count(c) == 0);

    public override string ToString() => string.Join(", ", All.Select(c => $"{c}: {Count(c)}"));
}
