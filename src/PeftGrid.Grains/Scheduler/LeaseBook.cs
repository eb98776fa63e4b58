namespace PeftGrid.Grains.Scheduler;

/// <summary>
/// The scheduler's leases, in memory only, on an injected <see cref="TimeProvider"/>: granted with a deadline, extended
/// by heartbeats, expired when the deadline passes. A restarted scheduler restores a lease for every Running cell
/// (<see cref="Restore"/>) with a fresh deadline and holds back new leases for a grace period so live workers can
/// heartbeat theirs back first. Not thread-safe (the grain's turns serialize it).
/// </summary>
internal sealed class LeaseBook(TimeProvider time)
{
    private readonly Dictionary<string, Lease> leases = new(StringComparer.Ordinal);

    /// <summary>The clock's now, UTC.</summary>
    public DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Leases held.</summary>
    public int Count => leases.Count;

    /// <summary>No new lease is granted before this (after a restart); <see cref="DateTime.MinValue"/> otherwise.</summary>
    public DateTime ResumesAtUtc { get; private set; } = DateTime.MinValue;

    /// <summary>New leases may be granted now.</summary>
    public bool Leasing => Now >= ResumesAtUtc;

    /// <summary>Grants a new lease of <paramref name="seconds"/> on <paramref name="cellId"/> and returns its token.</summary>
    public string Grant(string cellId, string workerId, int seconds)
    {
        var token = Guid.NewGuid().ToString("N");
        leases[token] = new Lease { CellId = cellId, WorkerId = workerId, DeadlineUtc = Now.AddSeconds(seconds) };
        return token;
    }

    /// <summary>Restores the lease of a cell found Running after a restart (deadline now + <paramref name="seconds"/>).</summary>
    public void Restore(string cellId, string token, string workerId, int seconds) =>
        leases[token] = new Lease { CellId = cellId, WorkerId = workerId, DeadlineUtc = Now.AddSeconds(seconds), Restored = true };

    /// <summary>Adopts a token this scheduler does not know (granted before a restart, after the last write).</summary>
    public void Adopt(string cellId, string token, string workerId, int seconds) =>
        leases[token] = new Lease { CellId = cellId, WorkerId = workerId, DeadlineUtc = Now.AddSeconds(seconds) };

    /// <summary>Holds back new leases for <paramref name="grace"/> from now (after a restart).</summary>
    public void HoldLeasing(TimeSpan grace) => ResumesAtUtc = Now + grace;

    /// <summary>Extends the lease <paramref name="token"/> on <paramref name="cellId"/> by <paramref name="seconds"/> from now;
    /// false if there is no such lease (expired, revoked or unknown).</summary>
    public bool Extend(string token, string cellId, string workerId, int seconds)
    {
        if (!leases.TryGetValue(token, out var lease) || lease.CellId != cellId)
        {
            return false;
        }
        lease.WorkerId = workerId;
        lease.DeadlineUtc = Now.AddSeconds(seconds);
        lease.Restored = false;
        return true;
    }

    /// <summary>True if <paramref name="token"/> is a live lease on <paramref name="cellId"/>.</summary>
    public bool Holds(string token, string cellId) => leases.TryGetValue(token, out var lease) && lease.CellId == cellId;

    /// <summary>True if <paramref name="token"/> is a lease restored after a restart and not heartbeated since.</summary>
    public bool IsRestored(string token) => leases.TryGetValue(token, out var lease) && lease.Restored;

    /// <summary>Every lease held (token → lease); do not change the book while enumerating.</summary>
    public IReadOnlyDictionary<string, Lease> All => leases;

    /// <summary>The lease <paramref name="token"/>, if held.</summary>
    public Lease? Find(string token) => leases.GetValueOrDefault(token);

    /// <summary>Revokes a lease (no-op for an unknown or null token).</summary>
    public void Revoke(string? token)
    {
        if (token is not null)
        {
            leases.Remove(token);
        }
    }

    /// <summary>Removes and returns the leases whose deadline has passed (none while leasing is held back after a restart).</summary>
    public List<(string Token, Lease Lease)> TakeExpired()
    {
        var now = Now;
        if (leases.Count == 0 || now < ResumesAtUtc)
        {
            return [];
        }
        var expired = new List<(string, Lease)>();
        foreach (var (token, lease) in leases)
        {
            if (lease.DeadlineUtc < now)
            {
                expired.Add((token, lease));
            }
        }
        foreach (var (token, _) in expired)
        {
            leases.Remove(token);
        }
        return expired;
    }
}

/// <summary>An in-memory lease (never persisted: a restarted scheduler restores leases from Running cells).</summary>
internal sealed class Lease
{
    public required string CellId { get; init; }
    public required string WorkerId { get; set; }
    public DateTime DeadlineUtc { get; set; }
    /// <summary>Restored after a restart and not heartbeated since.</summary>
    public bool Restored { get; set; }
}
