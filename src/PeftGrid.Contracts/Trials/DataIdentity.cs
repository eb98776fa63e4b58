using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using PeftGrid.Peft.Catalog;

namespace PeftGrid.Contracts.Trials;

/// <summary>
/// The data part of a cell's identity (<see cref="TrialSpec.Data"/>): for each split file a task uses (its catalog entry's
/// <see cref="TaskEntry.TrainFile"/>, then <see cref="TaskEntry.EvalFile"/>, in <see cref="TaskEntry.Folder"/> under the data root)
/// the file name, its size in bytes and the first <see cref="HashDigits"/> hex digits of the SHA-256 of its content, as
/// <c>train.tsv:3689813:d5f96c38d2bf5d6f;dev.tsv:116283:ef90ece61df13b1e</c>. The data root's own path is not part of it,
/// so the same files under another root are the same data; one changed byte is other data, hence another cell.
/// The one place that hashes data files: the client when it expands a grid, the worker when it checks a cell before training.
/// </summary>
public static class DataIdentity
{
    /// <summary>Hex digits of each file's SHA-256 kept in the identity text (16 = 64 bits).</summary>
    public const int HashDigits = 16;

    /// <summary>The identity of <paramref name="task"/>'s split files under <paramref name="dataRoot"/>, hashed through
    /// <paramref name="cache"/> (default <see cref="FileHashCache.Shared"/>: each file once per process while unchanged).</summary>
    /// <param name="dataRoot">The data root (the folder holding <c>glue/</c>, …).</param>
    /// <param name="task">The task's catalog entry.</param>
    /// <param name="cache">The hash cache; null = <see cref="FileHashCache.Shared"/>.</param>
    /// <exception cref="FileNotFoundException">A split file is missing; the message names the task and the expected path.</exception>
    public static string Of(string dataRoot, TaskEntry task, FileHashCache? cache = null) =>
        string.Join(";", Files(dataRoot, task, cache).Select(f => f.Text));

    /// <summary>The identity of each split file of <paramref name="task"/> under <paramref name="dataRoot"/> (train, then eval).</summary>
    /// <exception cref="FileNotFoundException">A split file is missing; the message names the task and the expected path.</exception>
    public static IReadOnlyList<DataFileIdentity> Files(string dataRoot, TaskEntry task, FileHashCache? cache = null)
    {
        cache ??= FileHashCache.Shared;
        return SplitPaths(dataRoot, task).Select(path => File.Exists(path)
            ? cache.Identify(path)
            : throw new FileNotFoundException($"task '{task.Name}' needs split file '{path}', which does not exist under the data root '{Path.GetFullPath(dataRoot)}'", path)).ToList();
    }

    /// <summary>The absolute paths of <paramref name="task"/>'s split files under <paramref name="dataRoot"/>: train, then eval.</summary>
    public static IReadOnlyList<string> SplitPaths(string dataRoot, TaskEntry task)
    {
        var folder = Path.Combine(Path.GetFullPath(dataRoot), task.FolderPath);
        return [Path.Combine(folder, task.TrainFile), Path.Combine(folder, task.EvalFile)];
    }

    /// <summary>Why the split files of <paramref name="task"/> under <paramref name="dataRoot"/> are not the data
    /// <paramref name="expected"/> names (a <see cref="TrialSpec.Data"/> text), as one line naming each differing file and
    /// what differs (size or content); null when they match. Empty <paramref name="expected"/> (a cell without a data
    /// identity) always matches.</summary>
    /// <exception cref="FileNotFoundException">A split file is missing here.</exception>
    public static string? Mismatch(string? expected, string dataRoot, TaskEntry task, FileHashCache? cache = null)
    {
        if (string.IsNullOrEmpty(expected))
        {
            return null;
        }
        var wanted = new Dictionary<string, (long Size, string Hash)>(StringComparer.Ordinal);
        foreach (var part in expected.Split(';'))
        {
            var f = part.Split(':');
            if (f.Length != 3 || f[0].Length == 0 || !long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                || f[2].Length != HashDigits || !wanted.TryAdd(f[0], (size, f[2])))
            {
                return $"the cell's data identity '{expected}' is malformed; expected name:bytes:{HashDigits}-hex-digit-sha256 per split file, ';'-separated";
            }
        }
        var here = Files(dataRoot, task, cache);
        if (!here.Select(f => f.Name).Order(StringComparer.Ordinal).SequenceEqual(wanted.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return $"data mismatch for task '{task.Name}': the cell was submitted for files {string.Join(", ", wanted.Keys)} but the task uses {string.Join(", ", here.Select(f => f.Name))}";
        }
        var diffs = new List<string>();
        foreach (var f in here)
        {
            var (size, hash) = wanted[f.Name];
            if (f.Size != size)
            {
                diffs.Add($"'{f.Path}' is {f.Size} bytes here, the cell was submitted with {size} bytes");
            }
            else if (!string.Equals(f.ShortHash, hash, StringComparison.OrdinalIgnoreCase))
            {
                diffs.Add($"'{f.Path}' has different content here (same {size} bytes, SHA-256 {f.ShortHash}…, the cell was submitted with {hash}…)");
            }
        }
        return diffs.Count == 0 ? null : $"data mismatch for task '{task.Name}' (not training on other data): {string.Join("; ", diffs)}";
    }
}

/// <summary>One split file's identity.</summary>
/// <param name="Path">Its absolute path on this machine (not part of the identity).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">The SHA-256 of its content, 64 lower-case hex digits.</param>
public sealed record DataFileIdentity(string Path, long Size, string Sha256)
{
    /// <summary>The file name, e.g. <c>dev.tsv</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The first <see cref="DataIdentity.HashDigits"/> hex digits of <see cref="Sha256"/>.</summary>
    public string ShortHash => Sha256[..DataIdentity.HashDigits];

    /// <summary>The identity text <c>name:size:shorthash</c>, e.g. <c>dev.tsv:116283:ef90ece61df13b1e</c>.</summary>
    public string Text => string.Create(CultureInfo.InvariantCulture, $"{Name}:{Size}:{ShortHash}");
}

/// <summary>
/// SHA-256 of files, cached per (full path, size, last-write time UTC): a file is read again only when one of those changes,
/// so expanding a 10,000-cell grid or checking every cell a worker runs hashes each file once. Thread-safe.
/// </summary>
public sealed class FileHashCache
{
    private readonly ConcurrentDictionary<(string Path, long Size, DateTime Written), Lazy<string>> hashes = new();
    private long computed;

    /// <summary>The process-wide cache.</summary>
    public static FileHashCache Shared { get; } = new();

    /// <summary>How many times this cache has read and hashed a file's content.</summary>
    public long Computed => Interlocked.Read(ref computed);

    /// <summary>The identity of the file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public DataFileIdentity Identify(string path)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        if (!info.Exists)
        {
            throw new FileNotFoundException($"file '{info.FullName}' does not exist", info.FullName);
        }
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        var hash = hashes.GetOrAdd(key, k => new Lazy<string>(() => Hash(k.Path))).Value;
        return new DataFileIdentity(info.FullName, info.Length, hash);
    }

    private string Hash(string path)
    {
        Interlocked.Increment(ref computed);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
