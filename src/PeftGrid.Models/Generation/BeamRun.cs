using PeftGrid.Models.Seq2Seq;
using static TorchSharp.torch;

namespace PeftGrid.Models.Generation;

/// <summary>HF <c>beam_search</c> with <c>BeamSearchScorer</c> (transformers 4.3–4.26) over one batch; see <see cref="Seq2SeqGenerator"/>.</summary>
internal sealed class BeamRun(StepDecoder decoder, GenerationOptions o, ISeq2SeqBackbone model, int batch, Action<GenerationStep>? onStep)
{
    private readonly int k = o.NumBeams;

    public IReadOnlyList<GeneratedSequence> Run()
    {
        var (eos, pad, bos) = (o.EosId(model), o.PadId(model), o.ForcedBosId(model));
        var n = batch * k;
        var ids = Enumerable.Range(0, n).Select(_ => new long[] { o.StartId(model) }).ToArray();
        var beamScores = Enumerable.Range(0, n).Select(i => i % k == 0 ? 0f : -1e9f).ToArray();
        var hyps = Enumerable.Range(0, batch).Select(_ => new BeamHypotheses(k, o.LengthPenalty, o.EarlyStopping)).ToArray();
        var done = new bool[batch];
        var recorder = new StepRecorder(o.RecordStepLogits, batch, k);
        var curLen = 1;
        while (curLen < o.MaxLength)
        {
            using var scope = NewDisposeScope();
            var logits = decoder.Next(ids);
            onStep?.Invoke(new GenerationStep(curLen, n, decoder.Cache));
            recorder.Record(logits);
            var vocab = logits.shape[1];
            var logp = logits.log_softmax(1);
            LogitsProcessing.Apply(logp, ids, o, eos, bos);
            var total = logp + tensor(beamScores, device: logits.device).unsqueeze(1);
            var (values, indices) = total.view(batch, k * vocab).topk(2 * k, dim: 1, largest: true, sorted: true);
            var vals = values.data<float>().ToArray();
            var idx = indices.data<long>().ToArray();
            var nextScores = new float[n];
            var nextTokens = new long[n];
            var nextRows = new long[n];
            for (var b = 0; b < batch; b++)
            {
                if (done[b])
                {
                    // HF: score 0, pad, beam index 0; own rows here (HF's row 0 is another input's; the values are never used).
                    for (var j = 0; j < k; j++) { (nextScores[b * k + j], nextTokens[b * k + j], nextRows[b * k + j]) = (0f, pad, b * k + j); }
                    continue;
                }
                var filled = 0;
                for (var rank = 0; rank < 2 * k && filled < k; rank++)
                {
                    var c = b * 2 * k + rank;
                    var token = idx[c] % vocab;
                    var row = b * k + idx[c] / vocab;
                    if (token == eos)
                    {
                        if (rank >= k) { continue; }
                        hyps[b].Add(ids[row], vals[c]);
                    }
                    else
                    {
                        (nextScores[b * k + filled], nextTokens[b * k + filled], nextRows[b * k + filled]) = (vals[c], token, row);
                        filled++;
                    }
                }
                if (filled < k)
                {
                    throw new InvalidOperationException($"beam search: more than {k} of the top {2 * k} candidates of input {b} are EOS ({eos})");
                }
                done[b] = done[b] || hyps[b].IsDone(vals[b * 2 * k], curLen);
            }
            ids = Enumerable.Range(0, n).Select(i => (long[])[.. ids[nextRows[i]], nextTokens[i]]).ToArray();
            decoder.Reorder(nextRows);
            beamScores = nextScores;
            curLen++;
            if (done.All(x => x)) { break; }
        }
        return Finalize(ids, beamScores, hyps, done, eos, recorder);
    }

    private List<GeneratedSequence> Finalize(long[][] ids, float[] beamScores, BeamHypotheses[] hyps, bool[] done, int eos, StepRecorder recorder)
    {
        var result = new List<GeneratedSequence>();
        for (var b = 0; b < batch; b++)
        {
            if (!done[b])
            {
                for (var j = 0; j < k; j++) { hyps[b].Add(ids[b * k + j], beamScores[b * k + j]); }
            }
            // HF: sorted(beams, key=score) (stable), then pop() from the end: the best, ties to the later-added.
            var sorted = hyps[b].Beams.Select((h, i) => (h.Score, h.Tokens, i)).OrderBy(h => h.Score).ThenBy(h => h.i).ToList();
            for (var j = 0; j < o.ReturnSequences; j++)
            {
                var (score, hyp, _) = sorted[^(j + 1)];
                long[] tokens = hyp.Length < o.MaxLength ? [.. hyp.Skip(1), eos] : [.. hyp.Skip(1)];
                result.Add(new GeneratedSequence(b, tokens, score, recorder.For(b)));
            }
        }
        return result;
    }
}
