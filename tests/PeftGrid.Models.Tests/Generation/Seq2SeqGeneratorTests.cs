using PeftGrid.Models.Generation;
using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Tuners.Prefix;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Models.Tests.Generation;

/// <summary>Generation equivalences on the untrained minilm2minilm (its text is poor; only equalities are asserted). About 1 s per
/// test on an idle 2-core machine (model load once per class), so not marked Slow.</summary>
public class Seq2SeqGeneratorTests(MiniLm2MiniLmFixture f) : IClassFixture<MiniLm2MiniLmFixture>
{
    private const double ScoreTolerance = 1e-4;

    private IReadOnlyList<GeneratedSequence> Run(AdapterSet? adapters, GenerationOptions o, int[] rows, bool beamPath = false,
        Action<GenerationStep>? onStep = null)
    {
        var (ids, mask) = f.Batch(rows);
        using (ids)
        using (mask)
        {
            return beamPath ? Seq2SeqGenerator.BeamSearch(f.Model, adapters, ids, mask, o, onStep)
                : Seq2SeqGenerator.Generate(f.Model, adapters, ids, mask, o, onStep);
        }
    }

    private AdapterSet? Adapters(bool prefix) => prefix ? f.Prefix : null;

    /// <summary>Options that make the untrained model's output varied and finish early: no_repeat_ngram_size 2 (alone it repeats
    /// [CLS]) and, as EOS, the 5th token it generates greedily for source 1, so hypotheses end at different steps.</summary>
    private GenerationOptions Varied(AdapterSet? adapters, int beams, int maxLength)
    {
        var o = new GenerationOptions { NumBeams = 1, MaxLength = maxLength, NoRepeatNgramSize = 2 };
        var eos = Run(adapters, o, [1])[0].Tokens[4];
        return o with { NumBeams = beams, EosTokenId = (int)eos };
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, true)]
    public void With_the_cache_equals_without_it(int beams, bool prefix)
    {
        var o = Varied(Adapters(prefix), beams, 12) with { RecordStepLogits = true };
        var cached = Run(Adapters(prefix), o, [0, 1, 2]);
        var full = Run(Adapters(prefix), o with { UseCache = false }, [0, 1, 2]);
        Assert.Equal(full.Count, cached.Count);
        var maxDiff = 0.0;
        for (var i = 0; i < full.Count; i++)
        {
            Assert.Equal(full[i].Tokens, cached[i].Tokens);
            Assert.Equal(full[i].Score, cached[i].Score, 1e-5);
            Assert.Equal(full[i].StepLogits!.Count, cached[i].StepLogits!.Count);
            for (var s = 0; s < full[i].StepLogits!.Count; s++)
            {
                var (a, b) = (full[i].StepLogits![s], cached[i].StepLogits![s]);
                for (var j = 0; j < a.Length; j++) { maxDiff = Math.Max(maxDiff, Math.Abs(a[j] - b[j])); }
            }
        }
        Assert.True(maxDiff <= 1e-5, $"max |logit(cache) − logit(no cache)| = {maxDiff:E2} > 1e-5");
        Assert.True(full[0].StepLogits!.Count >= 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Beam_search_with_one_beam_equals_greedy(bool prefix)
    {
        var o = Varied(Adapters(prefix), 1, 16) with { EarlyStopping = true };
        var greedy = Run(Adapters(prefix), o, [0, 1, 2]);
        var beam = Run(Adapters(prefix), o, [0, 1, 2], beamPath: true);
        Assert.Equal(greedy.Select(g => g.Tokens), beam.Select(b => b.Tokens));
        Assert.True(greedy[1].Tokens[^1] == o.EosTokenId && greedy[1].Tokens.Count <= 5);   // source 1 ends early with its EOS
        Assert.Equal(greedy.Select(g => g.Score), beam.Select(b => b.Score), (x, y) => Math.Abs(x - y) <= ScoreTolerance);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Each_input_alone_equals_it_in_a_right_padded_batch_with_a_prefix(int beams)
    {
        // Batch 3 with 2 beams (batch ≠ beams); sources of lengths 9, 14, 6 right-padded to 14.
        var o = Varied(f.Prefix, beams, 12) with { NumReturnSequences = beams, RecordStepLogits = true };
        var batched = Run(f.Prefix, o, [0, 1, 2]);
        Assert.Equal(3 * beams, batched.Count);
        var maxDiff = 0.0;
        for (var r = 0; r < 3; r++)
        {
            var alone = Run(f.Prefix, o, [r]);
            var inBatch = batched.Where(g => g.InputIndex == r).ToList();
            Assert.Equal(alone.Select(a => a.Tokens), inBatch.Select(g => g.Tokens));
            Assert.Equal(alone.Select(a => a.Score), inBatch.Select(g => g.Score), (x, y) => Math.Abs(x - y) <= ScoreTolerance);
            // The steps both runs made (the batch may run longer for another input): the same logits, beam order included.
            var (sa, sb) = (alone[0].StepLogits!, inBatch[0].StepLogits!);
            for (var s = 0; s < Math.Min(sa.Count, sb.Count); s++)
            {
                for (var j = 0; j < sa[s].Length; j++) { maxDiff = Math.Max(maxDiff, Math.Abs(sa[s][j] - sb[s][j])); }
            }
        }
        Assert.True(maxDiff <= 1e-4, $"max |logit(alone) − logit(in batch)| = {maxDiff:E2} > 1e-4");
        // Different sources give different results (the untrained model's tokens may coincide; its scores do not).
        Assert.NotEqual(batched[0].Score, batched[beams].Score, 6);
    }

    [Fact]
    public void Min_length_bans_eos_until_reached()
    {
        // Make the model's own first greedy token the EOS: without min_length generation stops right away.
        var first = Run(null, new GenerationOptions { MaxLength = 6 }, [1])[0].Tokens[0];
        var o = new GenerationOptions { MaxLength = 12, EosTokenId = (int)first };
        Assert.Equal([first], Run(null, o, [1])[0].Tokens);
        foreach (var beams in new[] { 1, 3 })
        {
            var g = Run(null, o with { MinLength = 6, NumBeams = beams }, [1])[0];
            var eosAt = g.Tokens.ToList().IndexOf(first);
            // decoder length before EOS (start token included) ≥ min_length ⇔ EOS not among the first min_length − 1 generated.
            Assert.True(eosAt == -1 || eosAt >= 5, $"beams {beams}: EOS at generated index {eosAt}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void No_repeat_ngram_size_2_leaves_no_repeated_bigram(int beams)
    {
        var o = new GenerationOptions { NumBeams = beams, MaxLength = 24 };
        static int Repeats(IEnumerable<GeneratedSequence> gs) => gs.Sum(g =>
        {
            long[] seq = [101, .. g.Tokens];
            var bigrams = seq.Zip(seq.Skip(1)).ToList();
            return bigrams.Count - bigrams.Distinct().Count();
        });
        Assert.True(Repeats(Run(null, o, [0, 1, 2])) > 0, "precondition: the untrained model repeats bigrams without the ban");
        Assert.Equal(0, Repeats(Run(null, o with { NoRepeatNgramSize = 2 }, [0, 1, 2])));
    }

    [Fact]
    public void The_cache_grows_by_one_position_per_step_and_never_holds_the_prefix()
    {
        var o = new GenerationOptions { NumBeams = 2, MaxLength = 10, MinLength = 10 };   // no early EOS: every step runs
        var steps = new List<(int CurLen, int Rows, long Length, long SelfKeys, long CrossKeys)>();
        var (ids, _) = f.Batch(0, 1, 2);
        var source = ids.shape[1];
        ids.Dispose();
        var was = ((nn.Module)f.Model).training;
        ((nn.Module)f.Model).train();
        Run(f.Prefix, o, [0, 1, 2], onStep: s => steps.Add((s.CurLen, s.Rows, s.Cache!.Length,
            s.Cache[f.Model.DecoderLayers - 1].SelfKeys!.shape[2], s.Cache[0].CrossKeys!.shape[2])));
        Assert.True(((nn.Module)f.Model).training);   // the caller's mode is restored
        ((nn.Module)f.Model).train(was);
        Assert.Equal(Enumerable.Range(1, 9), steps.Select(s => s.CurLen));
        Assert.All(steps, s =>
        {
            Assert.Equal(6, s.Rows);                      // batch 3 × 2 beams
            Assert.Equal(s.CurLen, s.Length);             // one cached position per decoded one, prefix (l = 5) not among them
            Assert.Equal(s.CurLen, s.SelfKeys);
            Assert.Equal(source, s.CrossKeys);            // the encoder memory, no prefix positions
        });
        // The prefix every step concatenates stays l positions in each of the three independent encoders.
        var encoders = f.Prefix.modules().OfType<PrefixEncoder>().ToList();
        Assert.Equal(3, encoders.Count);
        Assert.All(encoders, e =>
        {
            using var p = e.Compute();
            Assert.Equal(MiniLm2MiniLmFixture.PrefixLength, p.shape[2]);
        });
    }
}
