using PeftGrid.Models.Seq2Seq;
using static TorchSharp.torch;

namespace PeftGrid.Models.Generation;

/// <summary>HF <c>greedy_search</c> (transformers 4.3–4.26) over one batch; see <see cref="Seq2SeqGenerator"/>.</summary>
internal sealed class GreedyRun(StepDecoder decoder, GenerationOptions o, ISeq2SeqBackbone model, int batch, Action<GenerationStep>? onStep)
{
    public IReadOnlyList<GeneratedSequence> Run()
    {
        var (eos, pad, bos) = (o.EosId(model), o.PadId(model), o.ForcedBosId(model));
        var ids = Enumerable.Range(0, batch).Select(_ => new long[] { o.StartId(model) }).ToArray();
        var open = Enumerable.Repeat(true, batch).ToArray();
        var sums = new double[batch];
        var lengths = new int[batch];   // decoder tokens before EOS (start included) once finished
        var recorder = new StepRecorder(o.RecordStepLogits, batch, 1);
        var curLen = 1;
        while (curLen < o.MaxLength)
        {
            using var scope = NewDisposeScope();
            var logits = decoder.Next(ids);
            onStep?.Invoke(new GenerationStep(curLen, batch, decoder.Cache));
            recorder.Record(logits);
            var processed = logits.clone();
            LogitsProcessing.Apply(processed, ids, o, eos, bos);
            var next = processed.argmax(1).data<long>().ToArray();
            var logp = logits.log_softmax(1);
            LogitsProcessing.Apply(logp, ids, o, eos, bos);
            var chosen = logp.gather(1, tensor(next, device: logits.device).unsqueeze(1)).squeeze(1).data<float>().ToArray();
            for (var b = 0; b < batch; b++)
            {
                if (!open[b])
                {
                    next[b] = pad;
                    continue;
                }
                sums[b] += chosen[b];
                if (next[b] == eos)
                {
                    open[b] = false;
                    lengths[b] = curLen;
                }
            }
            ids = ids.Select((row, b) => (long[])[.. row, next[b]]).ToArray();
            curLen++;
            if (!open.Any(x => x)) { break; }
        }
        return Enumerable.Range(0, batch).Select(b =>
        {
            var length = open[b] ? ids[b].Length : lengths[b];
            var tokens = ids[b].Skip(1).Take(open[b] ? length - 1 : length).ToArray();
            return new GeneratedSequence(b, tokens, sums[b] / Math.Pow(length, o.LengthPenalty), recorder.For(b));
        }).ToList();
    }
}
