using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PeftGrid.Peft.Tests.Adapters;

/// <summary>Adapters are data: two sets on one frozen backbone behave exactly as each alone on its own copy.</summary>
public class SharedBackboneTests
{
    private const string SpecA = "lora-attn[r=4]|pa-ffn[r=8]";
    private const string SpecB = "mam[l=4,r=8,s=2]";

    private static AdapterSet Set(Models.Bert.BertEncoder backbone, string spec, int seed)
    {
        torch.manual_seed(seed);
        var set = AdapterSet.Create(backbone, PeftConfig.Parse(spec));
        torch.manual_seed(seed + 100);   // move every Δh away from its (often zero) init, identically for equal seeds
        using (torch.no_grad())
        {
            foreach (var p in set.parameters()) { p.normal_(0, 0.2); }
        }
        set.eval();
        return set;
    }

    [Fact]
    public void TwoSetsOnOneBackboneEqualEachAloneOnItsOwnCopyAndThePlainBackboneIsUnchanged()
    {
        using var shared = TinyModels.Encoder();
        using var copyA = TinyModels.Encoder();
        using var copyB = TinyModels.Encoder();
        var plain = TinyModels.Hidden(shared, null);
        using var a = Set(shared, SpecA, 11);
        using var b = Set(shared, SpecB, 12);
        using var aAlone = Set(copyA, SpecA, 11);
        using var bAlone = Set(copyB, SpecB, 12);

        var outA = TinyModels.Hidden(shared, a);
        var outB = TinyModels.Hidden(shared, b);
        Assert.True(TinyModels.MaxDiff(outA, TinyModels.Hidden(copyA, aAlone)) == 0.0);
        Assert.True(TinyModels.MaxDiff(outB, TinyModels.Hidden(copyB, bAlone)) == 0.0);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(shared, null), plain) == 0.0);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(shared, a), outA) == 0.0, "interleaving sets must not leave state behind");
        Assert.True(TinyModels.MaxDiff(outA, outB) > 1e-3);
        Assert.True(TinyModels.MaxDiff(outA, plain) > 1e-3);
        Assert.True(TinyModels.MaxDiff(outB, plain) > 1e-3);
    }

    [Fact]
    public void TrainingOneSetLeavesTheOtherAndTheBackboneAlone()
    {
        using var shared = TinyModels.Encoder();
        using var copyB = TinyModels.Encoder();
        BackbonePolicy.Apply(shared, BackboneTraining.Frozen);
        using var a = Set(shared, SpecA, 11);
        using var b = Set(shared, SpecB, 12);
        using var bAlone = Set(copyB, SpecB, 12);
        var plain = TinyModels.Hidden(shared, null);
        var (ids, types, mask) = TinyModels.Batch();
        a.train();
        shared.forward(ids, types, mask, a).pow(2).mean().backward();
        Assert.All(shared.parameters(), p => Assert.Null(p.grad));
        Assert.All(b.parameters(), p => Assert.Null(p.grad));
        using (torch.no_grad())
        {
            foreach (var p in a.parameters()) { p.sub_(p.grad! * 0.5); }
        }
        a.eval();
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(shared, null), plain) == 0.0);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(shared, b), TinyModels.Hidden(copyB, bAlone)) == 0.0);
    }

    [Fact]
    public void MergingOneSetIsSafeWhileTheBackboneIsShared()
    {
        using var shared = TinyModels.Encoder();
        using var a = Set(shared, SpecA, 11);
        using var b = Set(shared, SpecB, 12);
        var outA = TinyModels.Hidden(shared, a);
        var outB = TinyModels.Hidden(shared, b);
        var plain = TinyModels.Hidden(shared, null);
        a.Merge(shared);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(shared, a), outA) <= 1e-5);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(shared, b), outB) == 0.0);
        Assert.True(TinyModels.MaxDiff(TinyModels.Hidden(shared, null), plain) == 0.0);
    }
}
