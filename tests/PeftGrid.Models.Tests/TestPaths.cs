namespace PeftGrid.Models.Tests;

/// <summary>Locates ../shared/data (env PEFTGRID_DATA overrides).</summary>
public static class TestPaths
{
    public static string DataRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("PEFTGRID_DATA");
            if (!string.IsNullOrEmpty(env)) { return env; }
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "shared", "DESIGN.md"))) { return candidate; }
                dir = dir.Parent;
            }
            throw new DirectoryNotFoundException("../shared/data not found above " + AppContext.BaseDirectory + "; set PEFTGRID_DATA");
        }
    }

    public static string TinyBert => Path.Combine(DataRoot, "checkpoints", "tiny-bert");
}
