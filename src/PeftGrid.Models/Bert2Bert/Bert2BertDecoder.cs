using PeftGrid.Models.Bert;
using PeftGrid.Peft.Seams;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PeftGrid.Models.Bert2Bert;

/// <summary>The LM-head bias holder (HF key <c>cls.predictions.bias</c> [V]); the weight is tied to the word embeddings.</summary>
public sealed class Bert2BertPredictions : Module
{
    private readonly Parameter bias;

    /// <summary>A zero bias of <paramref name="vocab"/> entries.</summary>
    public Bert2BertPredictions(int vocab) : base("predictions")
    {
        bias = nn.Parameter(torch.zeros(vocab));
        RegisterComponents();
    }

    /// <summary>The bias [V].</summary>
    public Parameter Bias => bias;
}

/// <summary>HF <c>BertOnlyMLMHead</c> reduced to its bias (no <c>transform</c>: see <see cref="MiniLm2MiniLm"/>).</summary>
public sealed class Bert2BertLmHead : Module
{
    private readonly Bert2BertPredictions predictions;

    /// <summary>Creates the head for <paramref name="vocab"/> tokens.</summary>
    public Bert2BertLmHead(int vocab) : base("cls")
    {
        predictions = new Bert2BertPredictions(vocab);
        RegisterComponents();
    }

    /// <summary>The bias [V].</summary>
    public Parameter Bias => predictions.Bias;
}

/// <summary>The decoder half (HF <c>BertLMHeadModel</c>, keys <c>decoder.bert.*</c>, <c>decoder.cls.predictions.bias</c>).</summary>
public sealed class Bert2BertDecoder : Module
{
    private readonly Bert2BertStack bert;
    private readonly Bert2BertLmHead cls;

    /// <summary>Creates the decoder: a BERT stack with cross-attention in every layer, and the LM-head bias.</summary>
    public Bert2BertDecoder(EncoderConfig config, int layers) : base("decoder")
    {
        bert = new Bert2BertStack("bert", config, SeamStack.Decoder, layers, "decoder.bert.", null);
        cls = new Bert2BertLmHead(config.Shape.VocabSize);
        RegisterComponents();
    }

    /// <summary>The BERT stack.</summary>
    public Bert2BertStack Bert => bert;

    /// <summary>The LM-head bias [V].</summary>
    public Parameter LmBias => cls.Bias;
}
