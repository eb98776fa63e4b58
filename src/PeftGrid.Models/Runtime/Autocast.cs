using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Runtime;

/// <summary>
/// libtorch's autocast (<c>torch.autocast</c>), which TorchSharp 0.107 does not bind: calls <c>at::autocast::set_autocast_enabled</c>,
/// <c>set_autocast_dtype</c>, <c>increment_nesting</c>/<c>decrement_nesting</c> and <c>clear_cache</c> exported (C++-mangled) by
/// libtorch_cpu. Autocast state is thread-local: a scope covers the ops its thread runs until it is disposed (the backward pass needs
/// none); dispose it on the thread that entered it. Semantics are PyTorch's: under a bf16 scope on CPU, matmul/linear/conv/bmm/
/// baddbmm/addmm/SDPA run in bf16 (weights cast per forward, the cast cached for the scope's lifetime), reductions, softmax,
/// layer_norm and losses in fp32 (libtorch's autocast op lists, <c>aten/src/ATen/autocast_mode.cpp</c>).
/// </summary>
public static class Autocast
{
    private delegate void SetEnabled(sbyte device, [MarshalAs(UnmanagedType.U1)] bool enabled);
    [return: MarshalAs(UnmanagedType.U1)] private delegate bool IsEnabled(sbyte device);
    private delegate void SetDtype(sbyte device, sbyte dtype);
    private delegate sbyte GetDtype(sbyte device);
    private delegate long Nesting();
    private delegate void ClearCache();

    private sealed record Api(SetEnabled SetEnabled, IsEnabled IsEnabled, SetDtype SetDtype, GetDtype GetDtype, Nesting Increment,
        Nesting Decrement, ClearCache Clear);

    private static readonly Lazy<Api> Native = new(Bind);

    /// <summary>Enables autocast to <paramref name="dtype"/> (BFloat16 or Float16) on <paramref name="device"/>'s type on this thread
    /// until the returned scope is disposed, which restores the previous state (scopes nest) and clears the cast cache at the outermost exit.</summary>
    /// <exception cref="ArgumentException">A dtype other than BFloat16/Float16.</exception>
    /// <exception cref="InvalidOperationException">libtorch_cpu is not loaded or lacks the autocast exports (a libtorch other than 2.x).</exception>
    public static IDisposable Enter(DeviceType device, ScalarType dtype)
    {
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"autocast dtype must be one of BFloat16, Float16 (got {dtype})", nameof(dtype));
        }
        var api = Native.Value;
        var d = (sbyte)device;
        var scope = new Scope(api, d, api.IsEnabled(d), api.GetDtype(d));
        api.SetDtype(d, (sbyte)dtype);
        api.SetEnabled(d, true);
        api.Increment();
        return scope;
    }

    /// <summary>Whether autocast is on for <paramref name="device"/>'s type on this thread (<c>torch.is_autocast_enabled</c>).</summary>
    public static bool IsEnabledOn(DeviceType device) => Native.Value.IsEnabled((sbyte)device);

    /// <summary>Enters autocast to <paramref name="dtype"/> on <paramref name="device"/>'s type, or does nothing (returns null, which
    /// <c>using</c> accepts) when <paramref name="dtype"/> is null: the one switch callers use for "fp32 or mixed precision".</summary>
    public static IDisposable? EnterIf(DeviceType device, ScalarType? dtype) => dtype is { } t ? Enter(device, t) : null;

    private sealed class Scope(Api api, sbyte device, bool previousEnabled, sbyte previousDtype) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            if (api.Decrement() == 0) api.Clear();
            api.SetEnabled(device, previousEnabled);
            api.SetDtype(device, previousDtype);
        }
    }

    private static Api Bind()
    {
        _ = torch.get_num_threads(); // makes TorchSharp load libtorch before we look it up
        var handle = TorchLibrary.Handle("libtorch_cpu.so");
        T F<T>(string name) where T : Delegate => NativeLibrary.TryGetExport(handle, name, out var p)
            ? Marshal.GetDelegateForFunctionPointer<T>(p)
            : throw new InvalidOperationException($"libtorch_cpu has no export '{name}' (autocast needs libtorch 2.x)");
        return new Api(
            F<SetEnabled>("_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb"),
            F<IsEnabled>("_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE"),
            F<SetDtype>("_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE"),
            F<GetDtype>("_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE"),
            F<Nesting>("_ZN2at8autocast17increment_nestingEv"),
            F<Nesting>("_ZN2at8autocast17decrement_nestingEv"),
            F<ClearCache>("_ZN2at8autocast11clear_cacheEv"));
    }
}
