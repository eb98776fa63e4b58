using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Adapters;
using static TorchSharp.torch;

namespace PeftGrid.Models.Generation;

/// <summary>One decoder call per generation step: with a cache only the positions after <see cref="KvCache.Length"/> are fed,
/// without one the whole prefix is re-decoded. Returns the last position's logits [N, V] in the caller's dispose scope.</summary>
internal sealed class StepDecoder(ISeq2SeqBackbone model, AdapterSet? adapters, EncoderMemory memory, KvCache? cache)
{
    public KvCache? Cache => cache;

    public Tensor Next(IReadOnlyList<long[]> ids)
    {
        var n = ids.Count;
        var t = ids[0].Length;
        var past = (int)(cache?.Length ?? 0);
        var fresh = t - past;
        var flat = new long[n * fresh];
        for (var r = 0; r < n; r++) { Array.Copy(ids[r], past, flat, r * fresh, fresh); }
        var input = tensor(flat, [n, fresh], device: memory.Hidden.device);
        var logits = model.Decode(input, memory, adapters, cache);
        return logits.select(1, -1).to(ScalarType.Float32);
    }

    // Beam search only moves rows within an input's beams (same encoder memory), so the cross-attention keys/values, identical
    // across those rows, need no reordering (HF reorders them too; the result is the same, the copy is the dominant step cost).
    public void Reorder(long[] rows)
    {
        if (cache is null) { return; }
        using var index = tensor(rows, device: memory.Hidden.device);
        cache.ReorderSelf(index);
    }
}

/// <summary>Per-input step-logit recording (<see cref="GenerationOptions.RecordStepLogits"/>).</summary>
internal sealed class StepRecorder(bool enabled, int inputs, int rowsPerInput)
{
    private readonly List<float[]>[] steps = Enumerable.Range(0, inputs).Select(_ => new List<float[]>()).ToArray();

    public void Record(Tensor logits)
    {
        if (!enabled) { return; }
        var all = logits.contiguous().data<float>().ToArray();
        var block = all.Length / inputs;
        for (var b = 0; b < inputs; b++) { steps[b].Add(all.AsSpan(b * block, block).ToArray()); }
        _ = rowsPerInput;
    }

    public IReadOnlyList<float[]>? For(int input) => enabled ? steps[input] : null;
}
