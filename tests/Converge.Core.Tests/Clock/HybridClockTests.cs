using Converge.Core.Clock;
using Converge.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace Converge.Core.Tests.Clock;

public sealed class HybridClockTests
{
    private static readonly NodeId Node = new(0xABCDEF);

    [Fact]
    public void Next_FrozenWallClock_StillStrictlyIncreases()
    {
        var time = new FakeTimeProvider();
        var clock = new HybridClock(time, Node);

        var stamps = Enumerable.Range(0, 1_000).Select(_ => clock.Next()).ToList();

        stamps.Zip(stamps.Skip(1)).ShouldAllBe(pair => pair.First < pair.Second);
        stamps[0].Physical.ShouldBe(time.GetUtcNow());
        stamps[1].Logical.ShouldBe(1);
    }

    [Fact]
    public void Next_WallClockStepsBack_NeverGoesBack()
    {
        var time = new FakeTimeProvider();
        var clock = new HybridClock(time, Node);
        var before = clock.Next();

        time.Advance(TimeSpan.FromHours(-1));

        clock.Next().ShouldBeGreaterThan(before);
    }

    [Fact]
    public void Next_WallClockMovesOn_FollowsIt()
    {
        var time = new FakeTimeProvider();
        var clock = new HybridClock(time, Node);
        clock.Next();

        time.Advance(TimeSpan.FromSeconds(5));

        clock.Next().Physical.ShouldBe(time.GetUtcNow());
    }

    [Fact]
    public void Observe_RemoteStampAhead_LaterStampsOrderAfterIt()
    {
        var time = new FakeTimeProvider();
        var clock = new HybridClock(time, Node);
        var remote = new HybridTimestamp(HybridTimestamp.ToNanoseconds(time.GetUtcNow().AddSeconds(3)), new NodeId(UInt128.MaxValue));

        clock.Observe(remote);

        clock.Next().ShouldBeGreaterThan(remote);
    }

    [Fact]
    public void CheckDrift_StampTooFarAhead_ReportsHowFar()
    {
        var time = new FakeTimeProvider();
        var clock = new HybridClock(time, Node);
        var ahead = new HybridTimestamp(HybridTimestamp.ToNanoseconds(time.GetUtcNow().AddMilliseconds(250)), Node);

        var check = clock.CheckDrift(ahead, TimeSpan.FromMilliseconds(100));

        check.IsWithinBounds.ShouldBeFalse();
        check.Ahead.ShouldBe(TimeSpan.FromMilliseconds(250));
        check.Allowed.ShouldBe(TimeSpan.FromMilliseconds(100));
        clock.CheckDrift(ahead, TimeSpan.FromMilliseconds(300)).IsWithinBounds.ShouldBeTrue();
    }

    [Fact]
    public void LearnServerTime_ServerAhead_CorrectsStampsByTheOffset()
    {
        var time = new FakeTimeProvider();
        var clock = new HybridClock(time, Node);
        var sent = time.GetUtcNow();
        var received = sent.AddMilliseconds(20);

        clock.LearnServerTime(sent.AddSeconds(10).AddMilliseconds(10), sent, received);

        clock.Offset.ShouldBe(TimeSpan.FromSeconds(10));
        clock.Next().Physical.ShouldBe(time.GetUtcNow().AddSeconds(10));
    }

    [Fact]
    public void LearnServerTime_OffsetInsideTheRoundTrip_IsKept_SoSlowRoundTripsDoNotJitterStamps()
    {
        var time = new FakeTimeProvider();
        var clock = new HybridClock(time, Node);
        var sent = time.GetUtcNow();

        // Same clock as the server, slow and lopsided round trips: the server time is always inside the window.
        clock.LearnServerTime(sent.AddMilliseconds(5), sent, sent.AddMilliseconds(400));
        clock.LearnServerTime(sent.AddMilliseconds(390), sent, sent.AddMilliseconds(400));

        clock.Offset.ShouldBe(TimeSpan.Zero);

        // Outside the window, the clock takes its midpoint; a later window that holds it changes nothing.
        clock.LearnServerTime(sent.AddSeconds(30), sent, sent.AddMilliseconds(100));
        clock.Offset.ShouldBe(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(50));
        clock.LearnServerTime(sent.AddSeconds(30).AddMilliseconds(200), sent, sent.AddMilliseconds(300));
        clock.Offset.ShouldBe(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Rewind_AfterStampsRanAhead_IssuesStampsAtTheCorrectedTime()
    {
        var time = new FakeTimeProvider();
        var clock = new HybridClock(time, Node, new HybridClockState(0, TimeSpan.FromHours(1).Ticks));
        var runaway = clock.Next();
        var sent = time.GetUtcNow();
        clock.LearnServerTime(sent, sent, sent);
        var floor = new HybridTimestamp(HybridTimestamp.ToNanoseconds(sent.AddSeconds(-1)), Node);

        clock.Rewind(floor);
        var corrected = clock.Next();

        corrected.ShouldBeLessThan(runaway);
        corrected.Physical.ShouldBe(sent);
        corrected.ShouldBeGreaterThan(floor);
    }

    [Fact]
    public void SaveAndRestore_AcrossRestart_StaysMonotonic()
    {
        var time = new FakeTimeProvider();
        var clock = new HybridClock(time, Node);
        var last = Enumerable.Range(0, 10).Select(_ => clock.Next()).Last();

        time.Advance(TimeSpan.FromMinutes(-10));
        var restarted = new HybridClock(time, Node, clock.Save());

        restarted.Next().ShouldBeGreaterThan(last);
    }

    [Fact]
    public void Next_ArbitraryJumpsAndRestarts_StrictlyIncreasingAndUnique()
    {
        // Each step: 0 = issue a stamp, 1 = jump the wall clock, 2 = restart from saved state, 3 = observe a remote stamp.
        var steps = Gen.Choose(0, 3).Zip(Gen.Choose(-3_600_000, 3_600_000)).ListOf();

        Prop.ForAll(steps.ToArbitrary(), plan =>
        {
            var time = new FakeTimeProvider();
            var clock = new HybridClock(time, Node);
            var issued = new List<HybridTimestamp>();
            var seen = HybridTimestamp.MinValue;
            foreach (var (step, amount) in plan)
            {
                switch (step)
                {
                    case 0:
                        var stamp = clock.Next();
                        if (stamp <= seen || (issued.Count > 0 && stamp <= issued[^1]))
                        {
                            return false;
                        }

                        issued.Add(stamp);
                        break;
                    case 1:
                        time.Advance(TimeSpan.FromMilliseconds(amount));
                        break;
                    case 2:
                        clock = new HybridClock(time, Node, clock.Save());
                        break;
                    default:
                        var remote = new HybridTimestamp(HybridTimestamp.ToNanoseconds(time.GetUtcNow().AddMilliseconds(amount)), new NodeId(7));
                        clock.Observe(remote);
                        seen = remote > seen ? remote : seen;
                        break;
                }
            }

            return issued.Distinct().Count() == issued.Count;
        }).QuickCheckThrowOnFailure();
    }
}
