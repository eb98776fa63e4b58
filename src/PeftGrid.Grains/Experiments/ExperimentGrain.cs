using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Experiments;

/// <summary>Persisted state of an <see cref="ExperimentGrain"/>.</summary>
[GenerateSerializer, Alias("peftgrid.ExperimentState")]
public sealed class ExperimentState
{
    /// <summary>The cell.</summary>
    [Id(0)] public TrialSpec? Spec { get; set; }
    /// <summary>The accepted result of <see cref="Run"/>.</summary>
    [Id(1)] public TrialResult? Result { get; set; }
    /// <summary>Attempts used in <see cref="Run"/>.</summary>
    [Id(2)] public int Attempts { get; set; }
    /// <summary>Later results rejected.</summary>
    [Id(3)] public int DuplicatesRejected { get; set; }
    /// <summary>When the result was accepted, UTC.</summary>
    [Id(4)] public DateTime? AcceptedAtUtc { get; set; }
    /// <summary>Run of <see cref="Result"/> (0 = none; a record written before runs existed reads 0 with a result: run 1).</summary>
    [Id(5)] public int Run { get; set; }
    /// <summary>Results of earlier runs, oldest first.</summary>
    [Id(6)] public List<ExperimentRun> History { get; set; } = [];

    /// <summary>Run of <see cref="Result"/>: 0 without one, at least 1 with one.</summary>
    public int ResultRun => Result is null ? 0 : Math.Max(1, Run);
}

/// <summary>One grid cell and its one result per run (see <see cref="IExperimentGrain"/>), and the live training curve of the
/// lease running it (in memory only: <see cref="LiveCurve"/>).</summary>
public sealed class ExperimentGrain(
    [PersistentState("experiment", GrainKeys.Storage)] IPersistentState<ExperimentState> store, TimeProvider time) : Grain, IExperimentGrain
{
    private readonly LiveCurve live = new();

    /// <inheritdoc/>
    public async Task<bool> RecordAsync(TrialSpec spec, TrialResult result, int attempts, int run)
    {
        var s = store.State;
        run = Math.Max(1, run);
        if (s.Result is not null && s.ResultRun >= run)
        {
            s.DuplicatesRejected++;
            return false;
        }
        var (oldResult, oldAttempts, oldAccepted, oldRun, oldHistory) = (s.Result, s.Attempts, s.AcceptedAtUtc, s.Run, s.History.Count);
        if (s.Result is not null)
        {
            s.History.Add(new ExperimentRun { Run = s.ResultRun, Result = s.Result, Attempts = s.Attempts, AcceptedAtUtc = s.AcceptedAtUtc });
        }
        s.Spec = spec;
        s.Result = result;
        s.Attempts = attempts;
        s.Run = run;
        s.AcceptedAtUtc = time.GetUtcNow().UtcDateTime;
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            (s.Result, s.Attempts, s.AcceptedAtUtc, s.Run) = (oldResult, oldAttempts, oldAccepted, oldRun);
            s.History.RemoveRange(oldHistory, s.History.Count - oldHistory);
            throw;
        }
        return true;
    }

    /// <inheritdoc/>
    public Task<ExperimentSnapshot> GetAsync() => Task.FromResult(Snapshot());

    /// <inheritdoc/>
    public async Task<bool> VerifyAsync(int run)
    {
        await store.ReadStateAsync();
        return store.State.Result is not null && store.State.ResultRun >= run;
    }

    /// <inheritdoc/>
    public Task<int> ReportCurveAsync(CurveReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // A report for a run whose result is already accepted comes from a lease that is over.
        var held = report.Run <= store.State.ResultRun ? -1 : live.Take(report, time.GetUtcNow().UtcDateTime);
        return Task.FromResult(held);
    }

    /// <inheritdoc/>
    public Task<CurveView> GetCurveAsync(int fromIndex)
    {
        if (fromIndex < 0)
        {
            throw new ArgumentException($"fromIndex must be ≥ 0 (got {fromIndex})");
        }
        if (live.Run > store.State.ResultRun)
        {
            return Task.FromResult(live.View(fromIndex));
        }
        if (store.State.Result is not { } result)
        {
            return Task.FromResult(new CurveView());
        }
        var curve = result.Curve;
        return Task.FromResult(new CurveView
        {
            Run = store.State.ResultRun, Attempt = store.State.Attempts, Live = false, Total = curve.Count,
            Points = fromIndex >= curve.Count ? [] : curve.Skip(fromIndex).ToList(), Worker = result.Worker,
        });
    }

    private ExperimentSnapshot Snapshot() => new()
    {
        Spec = store.State.Spec, Result = store.State.Result, Attempts = store.State.Attempts,
        DuplicatesRejected = store.State.DuplicatesRejected, AcceptedAtUtc = store.State.AcceptedAtUtc,
        Run = store.State.ResultRun, History = store.State.History.ToList(),
    };
}
