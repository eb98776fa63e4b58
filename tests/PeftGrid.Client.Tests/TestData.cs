using PeftGrid.Peft.Catalog;

namespace PeftGrid.Client.Tests;

/// <summary>The real data root (<c>$PEFTGRID_DATA</c>, else <c>../shared/data</c> beside the checkout) and throwaway copies of a task's splits.</summary>
internal static class TestData
{
    public static string RealRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("PEFTGRID_DATA");
            if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
                if (File.Exists(Path.Combine(dir.FullName, "PeftGrid.sln")) && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
            throw new DirectoryNotFoundException("../shared/data not found above " + AppContext.BaseDirectory + "; set PEFTGRID_DATA");
        }
    }

    /// <summary>A fresh temp data root holding copies of <paramref name="task"/>'s split files from the real data.</summary>
    public static string CopyOf(TaskEntry task)
    {
        var root = Path.Combine(Path.GetTempPath(), "peftgrid-client-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(root, task.FolderPath));
        foreach (var file in new[] { task.TrainFile, task.EvalFile })
        {
            var target = Path.Combine(root, task.FolderPath, file);
            File.Copy(Path.Combine(RealRoot, task.FolderPath, file), target);
            File.SetAttributes(target, FileAttributes.Normal); // the shared data is read-only
        }
        return root;
    }

    /// <summary>Changes one byte of <paramref name="task"/>'s eval file under <paramref name="root"/> (same size, other content).</summary>
    public static string FlipEvalByte(string root, TaskEntry task, int offset = 100)
    {
        var path = Path.Combine(root, task.FolderPath, task.EvalFile);
        var bytes = File.ReadAllBytes(path);
        bytes[offset] = bytes[offset] == (byte)'a' ? (byte)'b' : (byte)'a';
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
