using PeftGrid.Tasks.Data;

namespace PeftGrid.Tasks.Tests;

/// <summary>Shared helpers: the real data root and throwaway TSV folders.</summary>
internal static class TestData
{
    public static string Root => DataRoot.Resolve();

    /// <summary>A temp data root with <c>glue/SST-2/{train,dev}.tsv</c> (or MNLI) holding the given texts.</summary>
    public static string TempRoot(GlueTask task, string trainText, string? devText = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "peftgrid-tasks-" + Guid.NewGuid().ToString("N")[..12]);
        var folder = Path.Combine(root, task.Folder);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, task.TrainFile), trainText);
        if (devText is not null) File.WriteAllText(Path.Combine(folder, task.DevFile), devText);
        return root;
    }
}
