using Converge.Client.Query;
using Converge.Client.Typed;
using Converge.Testing;

namespace Converge.Client.Tests.Query;

public sealed class QueryOperatorTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private Replica _replica = null!;
    private ReplicaCollection<Item> _items = null!;
    private readonly List<Item> _all = [];

    public async Task InitializeAsync()
    {
        _replica = Replica.Open(new ReplicaOptions { Path = _directory.File("r.db"), Stream = "s", Watch = false });
        _items = _replica.Collection<Item>();
        Item[] items =
        [
            new() { Id = Id(1), Code = "a", Title = "apple", Rank = 3, Size = 10, Weight = 1.5, Price = 1.50m, Discount = 0.5m, Done = true, Flag = true, Due = Noon, Seen = Noon, Token = Id(9), Level = Level.High, Maybe = Level.Mid, Tags = ["red", "fruit"], Numbers = [1, 2] },
            new() { Id = Id(2), Code = "b", Title = "Banana", Rank = -1, Size = null, Weight = 0.25, Price = 10m, Done = false, Due = Noon.ToOffset(TimeSpan.FromHours(2)).AddMinutes(1), Token = Id(3), Level = Level.Low, Tags = ["fruit"] },
            new() { Id = Id(3), Code = "c", Title = "cherry", Rank = 0, Size = 3, Weight = -2, Price = 2.5m, Discount = 2.50m, Done = true, Flag = false, Due = Noon.AddDays(-1), Token = Id(5), Level = Level.Mid, Maybe = Level.Low, Numbers = [2] },
            new() { Id = Id(4), Code = "d", Title = null, Rank = 7, Size = 0, Price = 0m, Due = default, Token = Guid.Empty, Level = Level.Low },
        ];
        foreach (var item in items)
        {
            await _items.InsertAsync(item);
        }

        _all.AddRange(items);
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();

    public static Guid Id(int n) => Guid.Parse($"00000000-0000-0000-0000-{n:D12}");

    [Fact]
    public async Task Where_EachOperatorPerFieldType_MatchesLinqToObjects()
    {
        var cutoff = Noon;
        var token = Id(4);
        string? none = null;
        await Same(t => t.Title == "apple");
        await Same(t => t.Title != "apple");
        await Same(t => t.Title == none);
        await Same(t => t.Title != null);
        await Same(t => string.CompareOrdinal(t.Title, "b") > 0);
        await Same(t => string.Compare(t.Title, "banana", StringComparison.Ordinal) <= 0);
        await Same(t => t.Title != null && t.Title.Contains("an"));
        await Same(t => t.Title != null && t.Title.StartsWith("ch", StringComparison.Ordinal));
        await Same(t => t.Title != null && t.Title.EndsWith("le", StringComparison.Ordinal));
        await Same(t => t.Rank > 0);
        await Same(t => t.Rank <= 0 || t.Rank == 7);
        await Same(t => t.Size == null);
        await Same(t => t.Size >= 3);
        await Same(t => t.Size != 10);
        await Same(t => t.Size.HasValue);
        await Same(t => t.Weight < 1);
        await Same(t => t.Weight == 0);
        await Same(t => t.Price == 1.5m);
        await Same(t => t.Price > 2m);
        await Same(t => t.Price < 10.00m);
        await Same(t => t.Discount == 2.5m);
        await Same(t => t.Discount == null);
        await Same(t => t.Done);
        await Same(t => !t.Done);
        await Same(t => t.Flag == true);
        await Same(t => t.Flag != true);
        await Same(t => t.Due < cutoff);
        await Same(t => t.Due == Noon.ToOffset(TimeSpan.FromHours(-5)));
        await Same(t => t.Due >= cutoff.AddSeconds(30));
        await Same(t => t.Seen == null);
        await Same(t => t.Token == token);
        await Same(t => t.Token.CompareTo(token) > 0);
        await Same(t => t.Token == Guid.Empty);
        await Same(t => t.Level == Level.Low);
        await Same(t => t.Level != Level.Low);
        await Same(t => t.Level < Level.Mid);
        await Same(t => t.Maybe == null);
        await Same(t => t.Maybe >= Level.Mid);
        await Same(t => t.Tags.Contains("fruit"));
        await Same(t => !t.Tags.Contains("red"));
        await Same(t => t.Numbers.Contains(2));
        await Same(t => new[] { "a", "c" }.Contains(t.Code));
        await Same(t => new List<Guid> { Id(2), Id(3) }.Contains(t.Id));
        await Same(t => t.Id == Id(2));
        await Same(t => t.Visits == 0);
        await Same(t => (t.Done && t.Rank > 0) || !(t.Price >= 2m));
        await Same(t => true);
        await Same(t => false);
    }

    [Fact]
    public async Task Where_CapturedVariable_IsReadWhenTheQueryRuns()
    {
        var rank = 0L;
        var query = _items.Query().Where(t => t.Rank > rank);
        (await query.CountAsync()).ShouldBe(2);
        rank = 5;
        (await query.CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task OrderBy_EachFieldType_MatchesLinqToObjectsWithIdTieBreak()
    {
        await SameOrder(q => q.OrderBy(t => t.Title), l => l.OrderBy(t => t.Title, StringComparer.Ordinal));
        await SameOrder(q => q.OrderByDescending(t => t.Title), l => l.OrderByDescending(t => t.Title, StringComparer.Ordinal));
        await SameOrder(q => q.OrderBy(t => t.Rank), l => l.OrderBy(t => t.Rank));
        await SameOrder(q => q.OrderBy(t => t.Size), l => l.OrderBy(t => t.Size));
        await SameOrder(q => q.OrderByDescending(t => t.Weight), l => l.OrderByDescending(t => t.Weight));
        await SameOrder(q => q.OrderBy(t => t.Price), l => l.OrderBy(t => t.Price));
        await SameOrder(q => q.OrderByDescending(t => t.Discount), l => l.OrderByDescending(t => t.Discount));
        await SameOrder(q => q.OrderBy(t => t.Done).ThenByDescending(t => t.Rank), l => l.OrderBy(t => t.Done).ThenByDescending(t => t.Rank));
        await SameOrder(q => q.OrderBy(t => t.Flag), l => l.OrderBy(t => t.Flag));
        await SameOrder(q => q.OrderBy(t => t.Due), l => l.OrderBy(t => t.Due));
        await SameOrder(q => q.OrderByDescending(t => t.Seen), l => l.OrderByDescending(t => t.Seen));
        await SameOrder(q => q.OrderBy(t => t.Token), l => l.OrderBy(t => t.Token));
        await SameOrder(q => q.OrderBy(t => t.Level), l => l.OrderBy(t => t.Level));
        await SameOrder(q => q.OrderByDescending(t => t.Maybe), l => l.OrderByDescending(t => t.Maybe));
        await SameOrder(q => q.OrderByDescending(t => t.Id), l => l.OrderByDescending(t => t.Id));
    }

    [Fact]
    public async Task Paging_CountAnyFirst_FollowTheOrder()
    {
        var page = await _items.Query().OrderBy(t => t.Rank).Skip(1).Take(2).ToListAsync();
        page.Select(t => t.Id).ShouldBe([Id(3), Id(1)]);
        (await _items.Query().OrderBy(t => t.Rank).Skip(1).Take(2).CountAsync()).ShouldBe(2);
        (await _items.Query().Skip(3).CountAsync()).ShouldBe(1);
        (await _items.Query().Skip(1).Skip(1).Take(5).Take(1).ToListAsync()).Select(t => t.Id).ShouldBe([Id(3)]);
        (await _items.Query().Where(t => t.Rank > 100).AnyAsync()).ShouldBeFalse();
        (await _items.Query().Where(t => t.Rank > 5).AnyAsync()).ShouldBeTrue();
        (await _items.Query().OrderByDescending(t => t.Price).FirstOrDefaultAsync())!.Id.ShouldBe(Id(2));
        (await _items.Query().Where(t => t.Rank > 100).FirstOrDefaultAsync()).ShouldBeNull();
        (await _items.Query().Take(0).ToListAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Select_Projects_TheFieldsItReads()
    {
        var titles = await _items.Query().Where(t => t.Done).OrderBy(t => t.Rank).Select(t => new { t.Id, t.Title, Double = t.Rank * 2 }).ToListAsync();
        titles.ShouldBe([new { Id = Id(3), Title = (string?)"cherry", Double = 0L }, new { Id = Id(1), Title = (string?)"apple", Double = 6L }]);
        (await _items.Query().OrderBy(t => t.Rank).Select(t => t.Tags.Count).FirstOrDefaultAsync()).ShouldBe(1);
        (await _items.Query().Select(t => t).CountAsync()).ShouldBe(4);
    }

    [Fact]
    public async Task FindBy_UniqueField_FindsTheRecord_AndRefusesOtherFields()
    {
        (await _items.FindByAsync(t => t.Code, "c"))!.Id.ShouldBe(Id(3));
        (await _items.FindByAsync(t => t.Code, "zz")).ShouldBeNull();
        await Should.ThrowAsync<ArgumentException>(() => _items.FindByAsync(t => t.Title, "apple"));
    }

    [Fact]
    public async Task Query_ReturnedInstances_AreTrackedForUpdate()
    {
        var first = (await _items.Query().Where(t => t.Code == "b").ToListAsync()).Single();
        var changed = first with { Rank = 99 };
        await _items.UpdateAsync(first, changed);
        (await _items.Query().Where(t => t.Rank == 99).CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Query_DeletedRecords_AreNeverShown()
    {
        await _items.DeleteAsync(Id(1));
        (await _items.Query().Where(t => t.Code == "a").AnyAsync()).ShouldBeFalse();
        (await _items.Query().CountAsync()).ShouldBe(3);
    }

    private async Task Same(System.Linq.Expressions.Expression<Func<Item, bool>> predicate)
    {
        var expected = _all.Where(predicate.Compile()).Select(t => t.Id).Order().ToList();
        var actual = (await _items.Query().Where(predicate).ToListAsync()).Select(t => t.Id).ToList();
        actual.ShouldBe(expected, predicate.ToString());
        (await _items.Query().Where(predicate).CountAsync()).ShouldBe(expected.Count, predicate.ToString());
    }

    private async Task SameOrder(Func<ReplicaQuery<Item>, ReplicaQuery<Item>> query, Func<IEnumerable<Item>, IOrderedEnumerable<Item>> linq)
    {
        var expected = linq(_all.OrderBy(t => t.Id)).ThenBy(t => t.Id).Select(t => t.Id).ToList();
        var actual = (await query(_items.Query()).ToListAsync()).Select(t => t.Id).ToList();
        actual.ShouldBe(expected);
    }
}
