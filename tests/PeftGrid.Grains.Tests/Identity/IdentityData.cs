using PeftGrid.Peft.Catalog;

namespace PeftGrid.Grains.Tests.Identity;

/// <summary>The real data root (<c>$PEFTGRID_DATA</c>, else <c>../shared/data</c> beside the checkout) and throwaway copies of a task's splits.</summary>
internal static class IdentityData
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

    /// <summary>A fresh temp data root holding copies of <paramref name="task"/>'s split files from <paramref name="from"/>.</summary>
    public static string CopyOf(TaskEntry task, string? from = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "peftgrid-identity-" + Guid.NewGuid().ToString("N")[..12]);
        var source = Path.Combine(from ?? RealRoot, task.FolderPath);
        Directory.CreateDirectory(Path.Combine(root, task.FolderPath));
        foreach (var file in new[] { task.TrainFile, task.EvalFile })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(root, task.FolderPath, file));
            File.SetAttributes(Path.Combine(root, task.FolderPath, file), FileAttributes.Normal); // the shared data is read-only
        }
        return root;
    }

    /// <summary>Replaces the byte at <paramref name="offset"/> of <paramref name="task"/>'s eval file under <paramref name="root"/>
    /// by a different one (same size, different content) and returns the file's path.</summary>
    public static string FlipEvalByte(string root, TaskEntry task, int offset = 100)
    {
        var path = Path.Combine(root, task.FolderPath, task.EvalFile);
        var bytes = File.ReadAllBytes(path);
        bytes[offset] = bytes[offset] == (byte)'a' ? (byte)'b' : (byte)'a';
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
