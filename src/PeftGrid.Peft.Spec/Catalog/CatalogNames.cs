namespace PeftGrid.Peft.Catalog;

/// <summary>Name lookup shared by <see cref="ModelCatalog"/> and <see cref="TaskCatalog"/>: one index over names and aliases.</summary>
internal static class CatalogNames
{
    /// <summary>The lookup key of a name: trimmed and lower-cased (invariant).</summary>
    public static string Key(string? name) => (name ?? "").Trim().ToLowerInvariant();

    /// <summary>Indexes entries by name and aliases.</summary>
    /// <exception cref="InvalidOperationException">Two entries share a name or alias (a catalog defect).</exception>
    public static IReadOnlyDictionary<string, T> Index<T>(IEnumerable<T> entries, Func<T, string> name, Func<T, IReadOnlyList<string>> aliases)
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            foreach (var key in aliases(e).Prepend(name(e)).Select(Key))
            {
                if (!index.TryAdd(key, e))
                {
                    throw new InvalidOperationException($"catalog name '{key}' is used twice");
                }
            }
        }
        return index;
    }

    /// <summary><c>sst2 (sst-2), mnli, …</c>: names with their aliases in brackets.</summary>
    public static string List(IEnumerable<(string Name, IReadOnlyList<string> Aliases)> entries) =>
        string.Join(", ", entries.Select(e => e.Aliases.Count == 0 ? e.Name : $"{e.Name} ({string.Join(", ", e.Aliases)})"));
}
