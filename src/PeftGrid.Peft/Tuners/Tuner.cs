using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Seams;

namespace PeftGrid.Peft.Tuners;

/// <summary>Helpers shared by tuners.</summary>
public static class Tuner
{
    /// <summary>The sites at <paramref name="positions"/>, in backbone order; at least one.</summary>
    /// <exception cref="ArgumentException">None; the message names the modification and the positions.</exception>
    public static IReadOnlyList<SeamSite> AtPositions(IReadOnlyList<SeamSite> sites, Modification m, params SeamPosition[] positions)
    {
        var found = sites.Where(s => positions.Contains(s.Position)).ToList();
        return found.Count > 0 ? found
            : throw new ArgumentException($"{m.Name}: the backbone has no {string.Join("/", positions)} site to attach to", nameof(sites));
    }
}
