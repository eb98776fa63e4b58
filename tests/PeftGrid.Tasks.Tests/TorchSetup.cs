using System.Runtime.CompilerServices;

namespace PeftGrid.Tasks.Tests;

/// <summary>Prepares libtorch once, as every PeftGrid entry point does, before any test of this assembly runs a GEMM: MKL's AVX-512
/// dispatch fix on AMD must precede the first GEMM (<see cref="PeftGrid.Models.Runtime.TorchRuntime"/>), so the tests train on the
/// same code path as the CLI and the silo, whatever test runs first.</summary>
internal static class TorchSetup
{
    [ModuleInitializer]
    internal static void Initialize() => PeftGrid.Models.Runtime.TorchRuntime.Initialize();
}
