namespace PeftGrid.Tasks.Metrics;

/// <summary>ROUGE F-measures × 100, averaged over pairs (STUB: the metrics helper replaces this file).</summary>
public sealed record RougeScores(double Rouge1, double Rouge2, double RougeL, double RougeLsum);

/// <summary>ROUGE as rouge_score computes it (STUB).</summary>
public static class Rouge
{
    /// <summary>Mean F × 100 of each ROUGE type over the pairs.</summary>
    public static RougeScores Score(IReadOnlyList<string> predictions, IReadOnlyList<string> references, bool useStemmer = true) =>
        throw new NotImplementedException();

    /// <summary>The settings as one line, stored with the scores.</summary>
    public static string Signature(bool useStemmer = true) => throw new NotImplementedException();
}
