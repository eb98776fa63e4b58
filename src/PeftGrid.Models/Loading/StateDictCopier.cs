using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PeftGrid.Models.Loading;

/// <summary>Copies named tensors into named parameters, checking keys and shapes first.</summary>
public static class StateDictCopier
{
    /// <summary>Copies every tensor of <paramref name="source"/> into the parameter of the same name in <paramref name="targets"/>.</summary>
    /// <param name="targets">Parameters by name.</param>
    /// <param name="source">Tensors by name.</param>
    /// <param name="what">What is being loaded, for messages (e.g. a file path).</param>
    /// <exception cref="InvalidDataException">Unknown, missing or mis-shaped keys; the message lists each kind (up to 20 names each).</exception>
    public static void Copy(IReadOnlyDictionary<string, Parameter> targets, IReadOnlyDictionary<string, Tensor> source, string what)
    {
        var missing = targets.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unknown = source.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        var misShaped = source.Where(kv => targets.TryGetValue(kv.Key, out var p) && !p.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key} (expected [{string.Join(",", targets[kv.Key].shape)}], found [{string.Join(",", kv.Value.shape)}])").ToList();
        if (missing.Count + unknown.Count + misShaped.Count > 0)
        {
            static string List(List<string> names) => string.Join(", ", names.Take(20)) + (names.Count > 20 ? $", … ({names.Count} in all)" : "");
            var parts = new List<string>();
            if (missing.Count > 0) { parts.Add($"missing keys: {List(missing)}"); }
            if (unknown.Count > 0) { parts.Add($"unknown keys: {List(unknown)}"); }
            if (misShaped.Count > 0) { parts.Add($"mis-shaped keys: {List(misShaped)}"); }
            throw new InvalidDataException($"{what}: {string.Join("; ", parts)}");
        }
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in source)
            {
                var p = targets[name];
                p.copy_(tensor.to(p.dtype, p.device));
            }
        }
    }
}
