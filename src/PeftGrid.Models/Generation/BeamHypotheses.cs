namespace PeftGrid.Models.Generation;

/// <summary>
/// The n-best list of finished hypotheses of one input (HF <c>BeamHypotheses</c>, transformers 4.3–4.26): keeps the NumBeams best
/// by score = sum(log p) / length^length_penalty, length = the hypothesis' decoder tokens (start token included, EOS excluded).
/// </summary>
public sealed class BeamHypotheses(int numBeams, double lengthPenalty, bool earlyStopping)
{
    private readonly List<(double Score, long[] Tokens)> beams = [];
    private double worst = 1e9;

    /// <summary>Finished hypotheses kept.</summary>
    public int Count => beams.Count;

    /// <summary>The kept hypotheses (unordered).</summary>
    public IReadOnlyList<(double Score, long[] Tokens)> Beams => beams;

    /// <summary>Adds <paramref name="tokens"/> (decoder ids, start token included, without EOS) with summed log-probability
    /// <paramref name="sumLogProbs"/> if it is among the NumBeams best.</summary>
    public void Add(long[] tokens, double sumLogProbs)
    {
        var score = sumLogProbs / Math.Pow(tokens.Length, lengthPenalty);
        if (beams.Count < numBeams || score > worst)
        {
            beams.Add((score, tokens));
            if (beams.Count > numBeams)
            {
                var sorted = beams.Select((b, i) => (b.Score, i)).OrderBy(x => x.Score).ThenBy(x => x.i).ToList();
                beams.RemoveAt(sorted[0].i);
                worst = sorted[1].Score;
            }
            else
            {
                worst = Math.Min(score, worst);
            }
        }
    }

    /// <summary>HF <c>is_done</c>: NumBeams hypotheses are finished and either early stopping is on or the best running sum
    /// <paramref name="bestSumLogProbs"/> at length <paramref name="curLen"/> cannot beat the worst kept score.</summary>
    public bool IsDone(double bestSumLogProbs, int curLen)
    {
        if (beams.Count < numBeams) { return false; }
        if (earlyStopping) { return true; }
        return worst >= bestSumLogProbs / Math.Pow(curLen, lengthPenalty);
    }
}
