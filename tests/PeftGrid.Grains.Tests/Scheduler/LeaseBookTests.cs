using Microsoft.Extensions.Time.Testing;
using PeftGrid.Grains.Scheduler;
using Xunit;

namespace PeftGrid.Grains.Tests.Scheduler;

/// <summary>Leases on fake time: no real sleeps.</summary>
public sealed class LeaseBookTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ALeaseExpiresOnlyAfterItsDeadlineAndAHeartbeatPushesTheDeadline()
    {
        var book = new LeaseBook(time);
        var token = book.Grant("c1", "w1", 10);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(book.TakeExpired());
        Assert.True(book.Extend(token, "c1", "w1", 10)); // deadline now t=19 s
        time.Advance(TimeSpan.FromSeconds(9.5));
        Assert.Empty(book.TakeExpired());
        Assert.True(book.Holds(token, "c1"));

        time.Advance(TimeSpan.FromSeconds(0.6));
        var expired = Assert.Single(book.TakeExpired());
        Assert.Equal((token, "c1", "w1"), (expired.Token, expired.Lease.CellId, expired.Lease.WorkerId));
        Assert.False(book.Holds(token, "c1"));
        Assert.False(book.Extend(token, "c1", "w1", 10));
        Assert.Equal(0, book.Count);
    }

    [Fact]
    public void TokensAreCheckedAgainstTheirCell()
    {
        var book = new LeaseBook(time);
        var a = book.Grant("c1", "w1", 10);
        var b = book.Grant("c2", "w2", 10);

        Assert.NotEqual(a, b);
        Assert.False(book.Holds(a, "c2"));
        Assert.False(book.Extend(a, "c2", "w1", 10));
        Assert.False(book.Holds("unknown", "c1"));
        book.Revoke(a);
        Assert.False(book.Holds(a, "c1"));
        Assert.True(book.Holds(b, "c2"));
        book.Revoke(null); // no-op
    }

    [Fact]
    public void RestoredLeasesGetAFreshDeadlineAndNothingExpiresOrIsLeasedDuringTheGrace()
    {
        var book = new LeaseBook(time);
        book.Restore("c1", "t1", "w1", 4);
        book.HoldLeasing(TimeSpan.FromSeconds(5));

        Assert.True(book.IsRestored("t1"));
        Assert.False(book.Leasing);
        time.Advance(TimeSpan.FromSeconds(4.5)); // past the restored deadline, within the grace
        Assert.Empty(book.TakeExpired());
        Assert.False(book.Leasing);

        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(book.Leasing);
        Assert.Equal("c1", Assert.Single(book.TakeExpired()).Lease.CellId);
    }

    [Fact]
    public void AHeartbeatOnARestoredLeaseMakesItAnOrdinaryOne()
    {
        var book = new LeaseBook(time);
        book.Restore("c1", "t1", "w?", 10);

        Assert.True(book.Extend("t1", "c1", "w1", 10));

        Assert.False(book.IsRestored("t1"));
        Assert.Equal("w1", book.Find("t1")!.WorkerId);
    }
}
