using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PeftGrid.Models.Runtime;

/// <summary>
/// Stores a model's frozen base in a low-precision dtype (<c>TrainingProfile.LowPrecisionBase</c>): every parameter with
/// <c>requires_grad = false</c> and every buffer whose dtype is floating point is converted in place to bf16/fp16, so the model's
/// fields and registrations keep pointing at the same tensors (libtorch's <c>Tensor.set_data</c>, what PyTorch's
/// <c>param.data = param.to(dtype)</c> and <c>Module._apply</c> do). Trainable parameters stay float32 master copies. Call it after
/// PEFT is applied (so what is frozen is known) and before the trainable parameters are collected; train under
/// <see cref="Autocast"/> so mixed-dtype ops (a float32 LoRA or bias next to a bf16 weight) run in one precision.
/// Exception: a <c>LayerNorm</c> with a trainable parameter (BitFit trains its bias) keeps its frozen one in float32 — libtorch's
/// <c>layer_norm</c> is not an autocast op and needs weight and bias in one dtype (2·d values per norm, under 0.1 % of the base).
/// </summary>
public static class LowPrecisionBase
{
    private delegate void SetData(IntPtr self, IntPtr newData);
    private static readonly Lazy<SetData> SetDataCall = new(() =>
    {
        _ = torch.get_num_threads();
        const string name = "_ZN2at4_ops8set_data4callERNS_6TensorERKS2_"; // at::_ops::set_data::call(Tensor&, const Tensor&)
        return NativeLibrary.TryGetExport(TorchLibrary.Handle("libtorch_cpu.so"), name, out var p)
            ? Marshal.GetDelegateForFunctionPointer<SetData>(p)
            : throw new InvalidOperationException($"libtorch_cpu has no export '{name}' (needs libtorch 2.x)");
    });

    /// <summary>Converts every frozen floating-point parameter and every floating-point buffer of <paramref name="module"/> (recursively)
    /// to <paramref name="dtype"/>; tensors already in it, integer tensors, trainable parameters and the frozen parameters of a
    /// LayerNorm that trains one of its parameters are left alone.</summary>
    /// <returns>Bytes saved: Σ numel × (old element size − new element size); exactly half of the converted float32 bytes.</returns>
    /// <exception cref="ArgumentException">A dtype other than BFloat16/Float16.</exception>
    public static long Apply(nn.Module module, ScalarType dtype)
    {
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"low-precision base dtype must be one of BFloat16, Float16 (got {dtype})", nameof(dtype));
        }
        var keep = module.modules().OfType<TorchSharp.Modules.LayerNorm>()
            .Where(norm => norm.parameters().Any(p => p.requires_grad))
            .SelectMany(norm => norm.parameters()).Select(p => p.Handle).ToHashSet();
        var tensors = module.parameters().Where(p => !p.requires_grad && !keep.Contains(p.Handle)).Cast<Tensor>()
            .Concat(module.buffers()).ToList();
        long saved = 0;
        using var noGrad = torch.no_grad();
        foreach (var t in tensors)
        {
            if (!t.is_floating_point() || t.dtype == dtype) continue; // shared tensors are converted once
            saved += t.numel() * (ElementSize(t.dtype) - ElementSize(dtype));
            using var converted = t.to(dtype);
            SetDataCall.Value(t.Handle, converted.Handle);
        }
        return saved;
    }

    /// <summary>Bytes of the frozen floating-point parameters and floating-point buffers of <paramref name="module"/> (numel × element size).</summary>
    public static long FrozenBytes(nn.Module module) =>
        module.parameters().Where(p => !p.requires_grad).Cast<Tensor>().Concat(module.buffers())
            .Where(t => t.is_floating_point()).Sum(t => t.numel() * ElementSize(t.dtype));

    private static long ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => 8,
        ScalarType.Float32 => 4,
        ScalarType.BFloat16 or ScalarType.Float16 => 2,
        _ => throw new ArgumentException($"floating dtype must be one of Float64, Float32, BFloat16, Float16 (got {dtype})"),
    };
}
