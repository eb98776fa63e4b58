using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Runtime;

/// <summary>
/// libtorch's autocast (<c>torch.autocast</c>), which TorchSharp 0.107 does not bind: calls <c>at::autocast::set_autocast_enabled</c>,
/// <c>set_autocast_dtype</c>, <c>increment_nesting</c>/<c>decrement_nesting</c> and <c>clear_cache</c> in libtorch_cpu. Autocast state is
/// thread-local: a scope covers the ops its thread runs until it is disposed (the backward pass needs none).
/// </summary>
public static class Autocast
{
    /// <summary>Enables autocast to <paramref name="dtype"/> (BFloat16 or Float16) on <paramref name="device"/>'s type on this thread
    /// until the returned scope is disposed, which restores the previous state (scopes nest) and clears the cast cache at the outermost exit.</summary>
    /// <exception cref="ArgumentException">A dtype other than BFloat16/Float16.</exception>
    public static IDisposable Enter(DeviceType device, ScalarType dtype) => throw new NotImplementedException("issue 12: precision helper");
}
