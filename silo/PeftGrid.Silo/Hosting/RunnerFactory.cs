using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Runners;

namespace PeftGrid.Silo.Hosting;

/// <summary>Creates the silo's <see cref="ITrialRunner"/> from <see cref="SiloSettings.Runner"/>.</summary>
public static class RunnerFactory
{
    /// <summary>Type name of the torch runner in PeftGrid.Tasks (constructor: data-root directory).</summary>
    public const string TorchRunnerType = "PeftGrid.Tasks.TorchTrialRunner, PeftGrid.Tasks";

    /// <summary>The runner named by <paramref name="settings"/>.</summary>
    /// <exception cref="ArgumentException">Unknown runner name.</exception>
    public static ITrialRunner Create(SiloSettings settings) => settings.Runner.Trim().ToLowerInvariant() switch
    {
        "fake" => new FakeTrialRunner(settings.Fake),
        "torch" or "" => CreateTorch(settings.DataRoot),
        var other => throw new ArgumentException($"PeftGrid:Runner must be 'torch' or 'fake', got '{other}'"),
    };

    /// <summary>The torch runner on <paramref name="dataRoot"/>, or a runner refusing every cell if this build has none.</summary>
    public static ITrialRunner CreateTorch(string? dataRoot)
    {
        var root = dataRoot ?? Environment.GetEnvironmentVariable("PEFTGRID_DATA") ?? Path.Combine("..", "shared", "data");
        var type = Type.GetType(TorchRunnerType, throwOnError: false);
        if (type is null)
        {
            return new UnavailableTrialRunner("this build has no torch trial runner (PeftGrid.Tasks.TorchTrialRunner is missing)");
        }
        return (ITrialRunner)Activator.CreateInstance(type, root)!;
    }
}
