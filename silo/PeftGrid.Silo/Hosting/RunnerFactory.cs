using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Scheduler;
using PeftGrid.Grains.Workers;
using PeftGrid.Tasks.Data;
using PeftGrid.Tasks.Pipeline;
using PeftGrid.Tasks.Runner;

namespace PeftGrid.Silo.Hosting;

/// <summary>Creates the silo's <see cref="ITrialRunner"/> from <see cref="SiloSettings.Runner"/>.</summary>
public static class RunnerFactory
{
    /// <summary>The runner named by <paramref name="settings"/>.</summary>
    /// <exception cref="ArgumentException">Unknown runner name.</exception>
    public static ITrialRunner Create(SiloSettings settings) => settings.Runner.Trim().ToLowerInvariant() switch
    {
        "fake" => new FakeTrialRunner(settings.Fake),
        "torch" or "" => CreateTorch(settings.DataRoot),
        var other => throw new ArgumentException($"PeftGrid:Runner must be 'torch' or 'fake', got '{other}'"),
    };

    /// <summary>
    /// Refuses a silo that would train on several devices with the torch runner: TorchSharp 0.107 draws dropout and initialization
    /// from process-global generators, so one process trains one trial at a time (<see cref="TorchProcessState"/>) and a second
    /// device's worker would hold leases while it waits. One silo process per device instead (in Kubernetes: one GPU per pod).
    /// Other runners (fake) and silos without workers may list any number of devices.
    /// </summary>
    /// <param name="workers">The silo's worker settings (<c>PeftGrid:Workers</c>).</param>
    /// <param name="runner">The silo's runner.</param>
    /// <exception cref="ArgumentException">More than <see cref="TorchProcessState.DevicesPerProcess"/> device for the torch runner; one line
    /// naming the setting, the devices and the reason.</exception>
    public static void CheckDevices(WorkerOptions workers, ITrialRunner runner)
    {
        var slots = workers.WorkerSlots;
        if (runner is not TorchTrialRunner || workers.Disabled || slots.Count <= TorchProcessState.DevicesPerProcess) return;
        throw new ArgumentException(
            $"PeftGrid__Workers__Devices__N lists {slots.Count} devices ({string.Join(", ", slots)}) but the torch runner trains on "
            + $"{TorchProcessState.DevicesPerProcess} device per silo process: TorchSharp 0.107 draws dropout and init from process-global "
            + "generators, so concurrent trials would not be reproducible; run one silo per device");
    }

    /// <summary>What the scheduler of a cluster running <paramref name="runner"/> refuses at submission: the fake runner's own
    /// admission (its tests use made-up model names), else the catalogs' <see cref="CatalogAdmission"/>.</summary>
    public static ICellAdmission AdmissionFor(ITrialRunner runner) => runner is FakeTrialRunner fake ? fake.Admission : CatalogAdmission.Instance;

    /// <summary>The torch runner on <paramref name="dataRoot"/> (default <c>$PEFTGRID_DATA</c> or <c>../shared/data</c> beside the checkout),
    /// or a runner refusing every cell with the reason when that data root does not exist.</summary>
    public static ITrialRunner CreateTorch(string? dataRoot)
    {
        try
        {
            return new TorchTrialRunner(DataRoot.Resolve(dataRoot));
        }
        catch (DirectoryNotFoundException e)
        {
            return new UnavailableTrialRunner(e.Message);
        }
    }
}
