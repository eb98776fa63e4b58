using Microsoft.Extensions.Logging;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Scheduler;

public sealed partial class SchedulerGrain
{
    /// <inheritdoc/>
    public Task RegisterWorkerAsync(string workerId, RunnerCapabilities capabilities)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(capabilities);
        workers.Register(workerId, capabilities, leases.Now);
        logger.LogInformation("Worker {Worker} registered: {Capabilities}", workerId, capabilities);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<ExchangeReply> ExchangeAsync(string workerId, IReadOnlyList<CellCompletion> completions, int maxCells)
    {
        var known = workers.Touch(workerId, leases.Now);
        var outcomes = new CompletionOutcome[completions.Count];
        List<(int Index, Finalization F)>? finals = null;
        for (var i = 0; i < completions.Count; i++)
        {
            outcomes[i] = dispatcher.Complete(workerId, completions[i], out var final);
            if (final is not null)
            {
                (finals ??= []).Add((i, new Finalization(final.Cell, final.Result, final.Wall)));
            }
        }
        if (finals is not null)
        {
            Finish(await sink.TakeAsync(finals.Select(f => f.F)));
            foreach (var (index, f) in finals)
            {
                outcomes[index] = f.Adopted ? CompletionOutcome.Duplicate : CompletionOutcome.Accepted;
            }
        }
        IReadOnlyList<CellLease> granted = [];
        if (known && maxCells > 0 && leases.Leasing)
        {
            await ExpireAsync(force: false);
            granted = dispatcher.Lease(workerId, maxCells, need => workers.Covers(workerId, need));
        }
        return new ExchangeReply { Outcomes = outcomes, Leases = granted, Unregistered = !known };
    }

    /// <inheritdoc/>
    public Task<HeartbeatReply> HeartbeatAsync(string workerId, IReadOnlyList<HeldLease> held)
    {
        var known = workers.Touch(workerId, leases.Now);
        var (cancel, lost) = dispatcher.Heartbeat(workerId, held);
        return Task.FromResult(new HeartbeatReply { Cancel = cancel, Lost = lost, Unregistered = !known });
    }

    /// <summary>Expires overdue leases (an interruption each; cells out of attempts are finalized Failed). Unless
    /// <paramref name="force"/>d, at most every 100 ms.</summary>
    private async Task ExpireAsync(bool force)
    {
        var now = leases.Now;
        if (leases.Count == 0 || (!force && now - lastExpiryScanUtc < TimeSpan.FromMilliseconds(100)))
        {
            return;
        }
        lastExpiryScanUtc = now;
        var finals = dispatcher.Expire();
        if (finals.Count > 0)
        {
            Finish(await sink.TakeAsync(finals.Select(f => new Finalization(f.Cell, f.Result, f.Wall))));
        }
    }
}
