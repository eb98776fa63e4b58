using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace PeftGrid.Models.Runtime;

/// <summary>
/// oneMKL (linked into libtorch_cpu) picks its GEMM kernels by CPU vendor: on AMD it never takes its AVX-512 path, so fp32 GEMM runs
/// at about 45 % of what the same CPU reaches with it (measured on AMD EPYC Zen 5: 170–190 vs 400–417 GFLOP/s, 2 threads, issue 12).
/// With <see cref="MklDispatchMode.Auto"/> on an AMD CPU with AVX-512, PeftGrid redirects MKL's <c>mkl_serv_intel_cpu_true</c> (its
/// vendor check) to a stub returning 1, in this process only, before the first GEMM, so MKL dispatches by the CPU's features.
/// </summary>
public static class MklDispatch
{
    /// <summary>The environment variable that sets the mode for every PeftGrid process: <c>auto</c> (default) or <c>off</c>.</summary>
    public const string EnvironmentVariable = "PEFTGRID_MKL_DISPATCH";

    /// <summary>MKL's vendor check, which libtorch_cpu calls through its PLT.</summary>
    public const string VendorCheck = "mkl_serv_intel_cpu_true";

    private delegate int IntFunction();

    private delegate void VersionFunction(byte[] buffer, int length);

    /// <summary>The mode <see cref="EnvironmentVariable"/> sets (unset or empty: <see cref="MklDispatchMode.Auto"/>).</summary>
    /// <exception cref="ArgumentException">Another value.</exception>
    public static MklDispatchMode ModeFromEnvironment() => Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => MklDispatchMode.Auto,
        "off" => MklDispatchMode.Off,
        var v => throw new ArgumentException($"{EnvironmentVariable}: '{v}' is not a mode; allowed: auto, off"),
    };

    /// <summary>
    /// Loads libtorch (no GEMM runs), finds libtorch_cpu.so in this process and, with <see cref="MklDispatchMode.Auto"/> on a non-Intel
    /// x86 CPU with AVX-512, redirects its <see cref="VendorCheck"/> slot (<see cref="PltSlot"/>); then reads MKL's code path
    /// (<c>mkl_serv_cpu_detect</c>, 0 = vendor-neutral, and <c>mkl_serv_cbwr_get_auto_branch</c> for the name). Must run before MKL's
    /// first GEMM in the process: MKL caches its dispatch then (checked: a fix applied later is reported as not applied). Never throws:
    /// a step that fails leaves MKL as shipped and <see cref="BlasStatus.Note"/> says why.
    /// </summary>
    public static BlasStatus Apply(MklDispatchMode mode)
    {
        _ = torch.get_num_threads(); // loads libtorch_cpu
        var path = TorchLibrary.Path("libtorch_cpu.so");
        if (path is null || !NativeLibrary.TryLoad(path, out var handle))
        {
            return new BlasStatus("unknown (libtorch_cpu.so not found in /proc/self/maps)", "unknown", false, "not Linux, or libtorch not loaded");
        }
        if (!NativeLibrary.TryGetExport(handle, "MKL_Get_Version_String", out var versionFn))
        {
            return new BlasStatus("not MKL (libtorch_cpu has no MKL_Get_Version_String)", "n/a", false);
        }
        var library = $"Intel oneMKL {Version(versionFn)} (in libtorch_cpu)";
        var cpu = CpuFeatures.Current;
        var wanted = mode == MklDispatchMode.Auto && !cpu.IsIntel && cpu.Avx512;
        var note = mode == MklDispatchMode.Off ? $"{EnvironmentVariable}=off" : wanted ? "" : "not needed (Intel, or no AVX-512)";
        var patched = false;
        if (wanted)
        {
            try
            {
                patched = PltSlot.RedirectToConstant(path, VendorCheck, 1) > 0;
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                note = $"dispatch fix not applied: {e.Message}";
            }
        }
        // mkl_serv_cpu_detect is cached at MKL's first GEMM (0 = the vendor-neutral path, 7 = AVX-512 on Zen 5 with the fix), while
        // cbwr_get_auto_branch is recomputed per call: a fix applied after a GEMM shows branch 14 but detect 0, and GEMM stays slow.
        var branch = Call(handle, "mkl_serv_cbwr_get_auto_branch");
        var detect = Call(handle, "mkl_serv_cpu_detect");
        var codePath = detect == 0 ? "AUTO" : BranchName(branch);
        var fast = codePath is "AVX512" or "AVX512_E1";
        if (patched && !fast) note = "vendor check redirected, but MKL had already chosen its code path (a GEMM ran before TorchRuntime.Initialize)";
        else if (patched) note = $"vendor check {VendorCheck} redirected";
        return new BlasStatus(library, codePath, patched && fast,
            $"{note}{(note.Length > 0 ? "; " : "")}mkl_serv_cbwr_get_auto_branch={branch}, mkl_serv_cpu_detect={detect}");
    }

    /// <summary>MKL's name (<c>MKL_CBWR_*</c> in mkl_cbwr.h) of a code-path branch number; <c>AUTO</c> is the vendor-neutral choice
    /// MKL makes on a non-Intel CPU (its AVX2 kernels at best).</summary>
    public static string BranchName(int? branch) => branch switch
    {
        null => "unknown",
        2 => "AUTO", 3 => "COMPATIBLE", 4 => "SSE2", 6 => "SSSE3", 7 => "SSE4_1", 8 => "SSE4_2", 9 => "AVX", 10 => "AVX2",
        11 => "AVX512_MIC", 12 => "AVX512", 13 => "AVX512_MIC_E1", 14 => "AVX512_E1",
        var b => $"branch {b}",
    };

    private static int? Call(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out var fn) ? Marshal.GetDelegateForFunctionPointer<IntFunction>(fn)() : null;

    private static string Version(nint fn)
    {
        var buffer = new byte[256];
        Marshal.GetDelegateForFunctionPointer<VersionFunction>(fn)(buffer, buffer.Length);
        var text = Encoding.ASCII.GetString(buffer).TrimEnd('\0');
        var at = text.IndexOf("Version ", StringComparison.Ordinal);
        return at < 0 ? text : text[(at + 8)..].Split(' ', '-')[0];
    }
}

/// <summary>Whether PeftGrid fixes MKL's vendor dispatch (<see cref="MklDispatch"/>).</summary>
public enum MklDispatchMode
{
    /// <summary>Apply the fix when it helps: an AMD (non-Intel) x86 CPU with AVX-512 and the MKL that libtorch ships.</summary>
    Auto = 0,
    /// <summary>Leave MKL as shipped.</summary>
    Off = 1,
}
