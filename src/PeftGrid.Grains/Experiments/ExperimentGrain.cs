using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Grains.Experiments;

/// <summary>Persisted state of an <see cref="ExperimentGrain"/>.</summary>
[GenerateSerializer, Alias("peftgrid.ExperimentState")]
public sealed class ExperimentState
{
    /// <summary>The cell.</summary>
    [Id(0)] public TrialSpec? Spec { get; set; }
    /// <summary>The one accepted result.</summary>
    [Id(1)] public TrialResult? Result { get; set; }
    /// <summary>Attempts used.</summary>
    [Id(2)] public int Attempts { get; set; }
    /// <summary>Later results rejected.</summary>
    [Id(3)] public int DuplicatesRejected { get; set; }
    /// <summary>When the result was accepted, UTC.</summary>
    [Id(4)] public DateTime? AcceptedAtUtc { get; set; }
}

/// <summary>One grid cell and its one result (see <see cref="IExperimentGrain"/>).</summary>
public sealed class ExperimentGrain(
    [PersistentState("experiment", GrainKeys.Storage)] IPersistentState<ExperimentState> store) : Grain, IExperimentGrain
{
    /// <inheritdoc/>
    public async Task<bool> RecordAsync(TrialSpec spec, TrialResult result, int attempts)
    {
        if (store.State.Result is not null)
        {
            store.State.DuplicatesRejected++;
            return false;
        }
        store.State.Spec = spec;
        store.State.Result = result;
        store.State.Attempts = attempts;
        store.State.AcceptedAtUtc = DateTime.UtcNow;
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            store.State.Result = null;
            throw;
        }
        return true;
    }

    /// <inheritdoc/>
    public Task<ExperimentSnapshot> GetAsync() => Task.FromResult(new ExperimentSnapshot
    {
        Spec = store.State.Spec, Result = store.State.Result, Attempts = store.State.Attempts,
        DuplicatesRejected = store.State.DuplicatesRejected, AcceptedAtUtc = store.State.AcceptedAtUtc,
    });
}
