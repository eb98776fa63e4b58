using Microsoft.Extensions.Logging;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Scheduler;

/// <summary>Where the <see cref="ResultSink"/> sends results (the grain's implementation calls the experiment and leaderboard grains).</summary>
internal interface IResultTargets
{
    /// <summary>Records the cell's result of its current run durably (<see cref="IExperimentGrain.RecordAsync"/>).</summary>
    Task<bool> RecordAsync(CellRecord cell, TrialResult result);

    /// <summary>The cell's durable record (<see cref="IExperimentGrain.GetAsync"/>).</summary>
    Task<ExperimentSnapshot> GetAsync(string cellId);

    /// <summary>Sends the results that have a leaderboard entry to their leaderboards; throws if one could not take them.</summary>
    Task RankAsync(IReadOnlyList<Finalization> finished);
}

/// <summary>A result on its way to being final: recorded, then ranked, then the cell is terminal.</summary>
internal sealed class Finalization(CellRecord cell, TrialResult result, double wall)
{
    public CellRecord Cell { get; } = cell;
    /// <summary>The result (replaced by the durable one when the experiment grain already held a result of this run).</summary>
    public TrialResult Result { get; set; } = result;
    public double Wall { get; set; } = wall;
    /// <summary>Durable in the experiment grain (next: the leaderboard).</summary>
    public bool Recorded { get; set; }
    /// <summary>The durable result is another report's (this one was a duplicate).</summary>
    public bool Adopted { get; set; }
    /// <summary>Attempts per the durable record.</summary>
    public int Attempts { get; set; } = cell.Attempts;
    /// <summary>Failed tries so far.</summary>
    public int Failures { get; set; }
    /// <summary>Not retried before this.</summary>
    public DateTime DueUtc { get; set; }
}

/// <summary>
/// Makes results final, in order: durable in the cell's experiment grain, then on the leaderboard, then (by the caller)
/// terminal in the scheduler — so a sweep whose status says complete has every result recorded and ranked. A step that
/// throws (a silo just died, storage hiccups) keeps the finalization and retries it with exponential backoff
/// (<see cref="MinBackoff"/> doubling up to <see cref="MaxBackoff"/>) until it lands: the cell stays Running, with no
/// lease, meanwhile — never lost between a lease and a result. Not thread-safe (the grain's turns serialize it).
/// </summary>
internal sealed class ResultSink(IResultTargets targets, TimeProvider time, ILogger logger)
{
    /// <summary>First retry delay after a failure.</summary>
    public static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Finalization> pending = new(StringComparer.Ordinal);
    private bool retrying;

    /// <summary>Finalizations not yet done.</summary>
    public int Count => pending.Count;

    /// <summary>True while the cell's result is being made final.</summary>
    public bool Holds(string cellId) => pending.ContainsKey(cellId);

    /// <summary>Takes the results and tries them once now; returns those done (recorded and ranked) — the caller makes
    /// their cells terminal. The others stay here and are retried by <see cref="RetryDueAsync"/>.</summary>
    public Task<List<Finalization>> TakeAsync(IEnumerable<Finalization> finals)
    {
        var batch = new List<Finalization>();
        foreach (var f in finals)
        {
            if (pending.TryAdd(f.Cell.Id, f))
            {
                batch.Add(f);
            }
        }
        return RunAsync(batch);
    }

    /// <summary>Retries the finalizations whose backoff has passed; returns those done.</summary>
    public async Task<List<Finalization>> RetryDueAsync()
    {
        if (retrying || pending.Count == 0)
        {
            return [];
        }
        var now = time.GetUtcNow().UtcDateTime;
        var due = pending.Values.Where(f => f.DueUtc <= now && f.Failures > 0).ToList();
        if (due.Count == 0)
        {
            return [];
        }
        retrying = true;
        try
        {
            return await RunAsync(due);
        }
        finally
        {
            retrying = false;
        }
    }

    private async Task<List<Finalization>> RunAsync(List<Finalization> batch)
    {
        if (batch.Count == 0)
        {
            return [];
        }
        foreach (var f in batch)
        {
            f.DueUtc = DateTime.MaxValue; // in flight: not due for a retry
        }
        await Task.WhenAll(batch.Where(f => !f.Recorded).Select(RecordAsync));
        var recorded = batch.Where(f => f.Recorded).ToList();
        var done = new List<Finalization>();
        if (recorded.Count > 0)
        {
            try
            {
                await targets.RankAsync(recorded);
                done.AddRange(recorded);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not send {Count} results to their leaderboards; will retry", recorded.Count);
                recorded.ForEach(Backoff);
            }
        }
        foreach (var f in done)
        {
            pending.Remove(f.Cell.Id);
        }
        return done;
    }

    private async Task RecordAsync(Finalization f)
    {
        try
        {
            if (await targets.RecordAsync(f.Cell, f.Result))
            {
                f.Recorded = true;
                return;
            }
            // The experiment grain already holds a result of this run (accepted before a restart): that one is final.
            var snap = await targets.GetAsync(f.Cell.Id);
            if (snap.Result is not { } durable || snap.Run < f.Cell.Run)
            {
                throw new InvalidOperationException($"experiment grain of cell {f.Cell.Id} refused run {f.Cell.Run} but holds run {snap.Run}");
            }
            (f.Result, f.Wall, f.Attempts, f.Recorded, f.Adopted) = (durable, durable.TrainSeconds, snap.Attempts, true, true);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not record the result of cell {CellId} (try {Try}); will retry: {Error}", f.Cell.Id, f.Failures + 1, e.Message);
            Backoff(f);
        }
    }

    private void Backoff(Finalization f)
    {
        f.Failures++;
        var delay = MinBackoff * Math.Pow(2, Math.Min(f.Failures - 1, 16));
        f.DueUtc = time.GetUtcNow().UtcDateTime + (delay < MaxBackoff ? delay : MaxBackoff);
    }
}
