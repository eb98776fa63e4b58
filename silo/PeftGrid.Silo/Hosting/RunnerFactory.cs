using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;
using PeftGrid.Grains.Scheduler;
using PeftGrid.Tasks.Data;
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
