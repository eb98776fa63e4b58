using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PeftGrid.Tasks.Tests.Text;

/// <summary>
/// Test setup: a small SentencePiece BPE model standing in for mBART's <c>sentence.bpe.model</c> (not available here), trained
/// once per machine with Debian's <c>spm_train</c> on both sides of the shared en-ro text (train + validation, 3,998 sentences)
/// with deterministic flags (one thread, fixed seed, identity normalization, byte fallback, 4,000 pieces; about 1 s). Cached in
/// the temp folder under a hash of the corpus and flags; written to a private folder first and renamed, so concurrent test
/// processes never see a half-written model.
/// </summary>
internal static class SmallSentencePieceModel
{
    public const int Pieces = 4000;

    private static readonly string[] Flags =
    [
        "--model_type=bpe", $"--vocab_size={Pieces}", "--normalization_rule_name=identity", "--byte_fallback=true",
        "--character_coverage=0.9995", "--num_threads=1", "--random_seed=13", "--minloglevel=2",
    ];

    private static readonly Lazy<IReadOnlyList<string>> LazySentences = new(ReadSentences);
    private static readonly Lazy<string> LazyPath = new(Train);

    /// <summary>Every en and ro sentence of <c>wmt16-ro-en/{train,validation}.jsonl</c>, en then ro per pair.</summary>
    public static IReadOnlyList<string> Sentences => LazySentences.Value;

    /// <summary>The trained model file (trains it on first use).</summary>
    public static string ModelPath => LazyPath.Value;

    private static IReadOnlyList<string> ReadSentences()
    {
        var sentences = new List<string>();
        foreach (var split in new[] { "train", "validation" })
        {
            foreach (var line in File.ReadLines(Path.Combine(TestData.Root, "wmt16-ro-en", split + ".jsonl")))
            {
                var pair = JsonDocument.Parse(line).RootElement.GetProperty("translation");
                sentences.Add(pair.GetProperty("en").GetString()!);
                sentences.Add(pair.GetProperty("ro").GetString()!);
            }
        }
        return sentences;
    }

    /// <summary>Runs a sentencepiece command-line tool and returns its stdout.</summary>
    /// <exception cref="InvalidOperationException">The tool is missing (run <c>bash eng/setup.sh</c>) or failed.</exception>
    public static string Run(string tool, IEnumerable<string> arguments, string? stdin = null, string? workingDirectory = null)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{tool} not found on PATH (Debian package sentencepiece): run bash eng/setup.sh");
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = stdin is not null, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardInputEncoding = stdin is null ? null : new UTF8Encoding(false), StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {stderr.Result.Trim()}");
        return stdout.Result;
    }

    private static string Train()
    {
        var corpus = string.Join('\n', Sentences) + "\n";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(corpus + string.Join(' ', Flags))))[..12].ToLowerInvariant();
        var folder = Path.Combine(Path.GetTempPath(), "peftgrid-spm-" + hash);
        var model = Path.Combine(folder, "sentence.bpe.model");
        if (File.Exists(model)) return model;
        var work = folder + "." + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "corpus.txt"), corpus, new UTF8Encoding(false));
        Run("spm_train", ["--input=corpus.txt", "--model_prefix=sentence.bpe", .. Flags], workingDirectory: work);
        try
        {
            Directory.Move(work, folder);
        }
        catch (IOException) when (File.Exists(model))
        {
            Directory.Delete(work, recursive: true); // another test process won the race
        }
        return model;
    }
}
