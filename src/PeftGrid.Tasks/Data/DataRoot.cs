namespace PeftGrid.Tasks.Data;

/// <summary>
/// Finds the data root (the folder holding <c>glue/</c>, <c>xsum/</c>, …): an explicit path, else the
/// <c>PEFTGRID_DATA</c> environment variable, else <c>../shared/data</c> beside the repository checkout
/// (found by walking up from the working directory and from the executable to the folder holding
/// <c>PeftGrid.sln</c>). Data is never copied into the repository.
/// </summary>
public static class DataRoot
{
    /// <summary>Environment variable that overrides the default data root.</summary>
    public const string EnvironmentVariable = "PEFTGRID_DATA";

    /// <summary>Resolves the data root and checks that it exists.</summary>
    /// <param name="explicitPath">A path given by the user (<c>--data</c>), or null.</param>
    /// <returns>The absolute path of an existing directory.</returns>
    /// <exception cref="DirectoryNotFoundException">The chosen root does not exist; the message names it.</exception>
    public static string Resolve(string? explicitPath = null)
    {
        var chosen = explicitPath;
        if (string.IsNullOrWhiteSpace(chosen)) chosen = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(chosen)) chosen = BesideRepository();
        if (string.IsNullOrWhiteSpace(chosen))
        {
            throw new DirectoryNotFoundException(
                $"data root not found: pass --data DIR or set {EnvironmentVariable} (default ../shared/data beside the checkout)");
        }
        var full = Path.GetFullPath(chosen);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"data root '{full}' does not exist");
        return full;
    }

    private static string? BesideRepository()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PeftGrid.sln")))
                {
                    var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
                    if (Directory.Exists(candidate)) return candidate;
                }
            }
        }
        return null;
    }
}
