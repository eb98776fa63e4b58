namespace PeftGrid.Tasks.Metrics;

/// <summary>Classification accuracy accumulated over batches.</summary>
public sealed class Accuracy
{
    /// <summary>Predictions compared so far.</summary>
    public long Total { get; private set; }
    /// <summary>Correct predictions so far.</summary>
    public long Correct { get; private set; }

    /// <summary>Adds a batch of predicted and gold label ids.</summary>
    /// <exception cref="ArgumentException">The two spans differ in length.</exception>
    public void Add(ReadOnlySpan<long> predicted, ReadOnlySpan<long> gold)
    {
        if (predicted.Length != gold.Length)
        {
            throw new ArgumentException($"{predicted.Length} predictions for {gold.Length} labels", nameof(predicted));
        }
        for (var i = 0; i < gold.Length; i++)
        {
            if (predicted[i] == gold[i]) Correct++;
        }
        Total += gold.Length;
    }

    /// <summary>Correct / Total in [0, 1].</summary>
    /// <exception cref="InvalidOperationException">Nothing was added.</exception>
    public double Value => Total == 0 ? throw new InvalidOperationException("accuracy of an empty set") : (double)Correct / Total;
}
