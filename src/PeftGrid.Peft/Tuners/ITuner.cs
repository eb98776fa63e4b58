using PeftGrid.Peft.Adapters;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;

namespace PeftGrid.Peft.Tuners;

/// <summary>
/// One method family (HF peft's <c>tuners/&lt;method&gt;</c>): reads its options from a <see cref="Modification"/>, picks the
/// backbone sites it attaches to, and creates its modules there. Registered in <see cref="TunerRegistry"/>.
/// </summary>
public interface ITuner
{
    /// <summary>The sites of <paramref name="sites"/> (a backbone's, in its order) that <paramref name="m"/> creates modules for.</summary>
    IReadOnlyList<SeamSite> Targets(IReadOnlyList<SeamSite> sites, Modification m);

    /// <summary>Creates the modules of <paramref name="m"/> for its <see cref="Targets"/> on <paramref name="backbone"/>, in site
    /// order (the order the torch generator is drawn in), and adds them to <paramref name="set"/>.</summary>
    /// <exception cref="ArgumentException">The backbone has no site for <paramref name="m"/>; the message names the modification.</exception>
    void Attach(AdapterSet set, IPeftBackbone backbone, Modification m);
}
