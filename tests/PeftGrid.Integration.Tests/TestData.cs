namespace PeftGrid.Integration.Tests;

/// <summary>Locates ../shared/data (env PEFTGRID_DATA overrides).</summary>
public static class TestData
{
    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("PEFTGRID_DATA");
            if (!string.IsNullOrEmpty(env)) { return env; }
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(Path.Combine(candidate, "glue"))) { return candidate; }
                dir = dir.Parent;
            }
            throw new DirectoryNotFoundException("../shared/data not found above " + AppContext.BaseDirectory + "; set PEFTGRID_DATA");
        }
    }
}
