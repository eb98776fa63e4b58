using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Json;
using PeftGrid.Models;
using PeftGrid.Models.Generation;
using PeftGrid.Models.Seq2Seq;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using PeftGrid.Tasks.Adapters;
using PeftGrid.Tasks.Text;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PeftGrid.Cli.Commands;

/// <summary>
/// <c>peftgrid generate --model M [--adapter DIR] --input TEXT|FILE [--beams N] [--min-length N] [--max-length N] [--length-penalty X]
/// [--no-repeat-ngram N] [--early-stopping] [--no-cache] [--source-lang L] [--target-lang L] [--tokenizer DIR] [--max-source-length N]
/// [--batch-size N] [--threads N] [--seed N] [--json]</c>: loads an encoder-decoder (and optionally a trained adapter folder), tokenizes each input
/// line, generates with <see cref="Seq2SeqGenerator"/> and prints one generation per input line (lengths count decoder tokens including
/// the start token, as HF's <c>generate</c> does).
/// </summary>
public static class GenerateCommand
{
    /// <summary>The settings of one <c>generate</c> call, as parsed from the command line.</summary>
    /// <param name="Model">Catalog name or HF encoder-decoder checkpoint folder.</param>
    /// <param name="Adapter">Adapter folder (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>), or null.</param>
    /// <param name="Inputs">Source texts, one per line of the input.</param>
    /// <param name="Options">Decoding settings (token ids from the tokenizer where it has them).</param>
    /// <param name="TokenizerFolder">Tokenizer files folder, or null (minilm2minilm: bundled; a checkpoint folder: itself).</param>
    /// <param name="SourceLanguage">mBART source language code, or null.</param>
    /// <param name="TargetLanguage">mBART target language code, or null.</param>
    /// <param name="MaxSourceLength">Source tokens per input (special tokens included), or null for the model's maximum.</param>
    /// <param name="BatchSize">Inputs generated together (padding never changes an output).</param>
    public sealed record Request(string Model, string? Adapter, IReadOnlyList<string> Inputs, GenerationOptions Options, string? TokenizerFolder,
        string? SourceLanguage, string? TargetLanguage, int? MaxSourceLength, int BatchSize)
    {
        /// <summary>Torch seed set before loading: the initial values of parts the checkpoint lacks (minilm2minilm's cross-attention and
        /// LM-head bias) come from it when no adapter folder supplies them, so an untrained model generates the same text every run.</summary>
        public long Seed { get; init; }
    }

    /// <summary>One generation.</summary>
    /// <param name="Input">The source text.</param>
    /// <param name="Text">The decoded generation (special tokens skipped, line breaks as spaces).</param>
    /// <param name="Tokens">The generated ids (without the decoder start token; EOS included when generated).</param>
    /// <param name="Score">The sequence score (sum of log-probabilities / length^length_penalty).</param>
    public sealed record Generation(string Input, string Text, IReadOnlyList<long> Tokens, double Score);

    /// <summary>
    /// The inputs of <c>--input</c>: the lines of the file it names if one exists, else the text itself split into lines; blank lines dropped.
    /// </summary>
    /// <exception cref="ArgumentException">No non-blank input.</exception>
    public static IReadOnlyList<string> ReadInputs(string input)
    {
        if (!File.Exists(input) && LooksLikeAFile(input))
        {
            throw new ArgumentException($"--input: file '{input}' not found; give an existing file (one input per line) or the text itself");
        }
        var text = File.Exists(input) ? File.ReadAllText(input) : input;
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return lines.Count > 0 ? lines : throw new ArgumentException($"--input: '{input}' holds no text; give a text or a file with one input per line");
    }

    /// <summary>True for one word with a path separator or a file extension (<c>inputs.txt</c>, <c>data/docs</c>): meant as a file, not a text.</summary>
    private static bool LooksLikeAFile(string input) =>
        !input.Any(char.IsWhiteSpace) && (input.Contains('/') || input.Contains('\\') || Path.HasExtension(input) && !input.EndsWith('.'));

    /// <summary>Checks the command-line decoding settings before anything is loaded (the model-dependent limits are checked by
    /// <see cref="GenerationOptions.Validate"/> after loading).</summary>
    /// <exception cref="ArgumentException">The first bad option, naming it and the allowed values.</exception>
    public static GenerationOptions Options(int beams, int minLength, int maxLength, double lengthPenalty, int noRepeatNgram, bool earlyStopping, bool noCache)
    {
        static ArgumentException Bad(string option, string allowed, object value) =>
            new(string.Create(CultureInfo.InvariantCulture, $"{option} must be {allowed}; got {value}"));
        if (beams < 1) throw Bad("--beams", "≥ 1 (1 = greedy search)", beams);
        if (maxLength < 2) throw Bad("--max-length", "≥ 2 (decoder tokens including the start token)", maxLength);
        if (minLength < 0 || minLength > maxLength) throw Bad("--min-length", $"in 0 … --max-length ({maxLength})", minLength);
        if (noRepeatNgram < 0) throw Bad("--no-repeat-ngram", "≥ 0 (0 = off)", noRepeatNgram);
        if (!double.IsFinite(lengthPenalty)) throw Bad("--length-penalty", "a finite number", lengthPenalty);
        return new GenerationOptions
        {
            NumBeams = beams, MinLength = minLength, MaxLength = maxLength, LengthPenalty = lengthPenalty, NoRepeatNgramSize = noRepeatNgram,
            EarlyStopping = earlyStopping, UseCache = !noCache,
        };
    }

    /// <summary>Loads the model (and adapter), tokenizes, generates. Batches of <see cref="Request.BatchSize"/> inputs, in input order.</summary>
    /// <exception cref="ArgumentException">Unknown or encoder-only model, unavailable weights, bad tokenizer settings or language codes,
    /// an adapter trained for another model, or options the model does not allow.</exception>
    /// <exception cref="InvalidDataException">A malformed adapter folder.</exception>
    public static IReadOnlyList<Generation> Run(Request request)
    {
        try
        {
            return Generate(request);
        }
        catch (ArgumentException e) when (e.ParamName is { } name)
        {
            // one line naming the option, without .NET's " (Parameter 'x')" suffix
            throw new ArgumentException(e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal), e);
        }
    }

    private static IReadOnlyList<Generation> Generate(Request request)
    {
        var entry = Entry(request.Model);
        var tokenizer = Seq2SeqTokenizers.For(entry, request.TokenizerFolder ?? (ModelCatalog.TryFind(request.Model) is null ? request.Model : null),
            request.SourceLanguage, request.TargetLanguage);
        var maxSource = request.MaxSourceLength ?? entry.MaxSequenceLength;
        if (maxSource < tokenizer.MinMaxLength || maxSource > entry.MaxSequenceLength)
        {
            throw new ArgumentException($"--max-source-length must be in {tokenizer.MinMaxLength} … {entry.MaxSequenceLength} for {entry.Name}; got {maxSource}");
        }
        var adapter = request.Adapter is { } folder ? ReadAdapter(folder, entry) : null;
        torch.manual_seed(request.Seed);
        using var model = new Seq2SeqModel(ModelLoader.LoadSeq2Seq(request.Model, dropout: 0));
        if (adapter is not null)
        {
            LoadAdapter(model, request.Adapter!, adapter);
        }
        var options = request.Options with { DecoderStartTokenId = tokenizer.DecoderStartId, ForcedBosTokenId = tokenizer.ForcedBosId,
            EosTokenId = tokenizer.EosId, PadTokenId = tokenizer.PadId };
        options.Validate(model.Backbone);
        model.eval();
        var results = new List<Generation>();
        foreach (var chunk in request.Inputs.Chunk(Math.Max(1, request.BatchSize)))
        {
            using var scope = torch.NewDisposeScope();
            var encoded = chunk.Select(text => tokenizer.EncodeSource(text, maxSource)).ToList();
            var width = encoded.Max(e => e.Length);
            var ids = new long[encoded.Count * width];
            var mask = new long[ids.Length];
            Array.Fill(ids, tokenizer.PadId);
            for (var i = 0; i < encoded.Count; i++)
            {
                for (var j = 0; j < encoded[i].Length; j++) { ids[i * width + j] = encoded[i][j]; mask[i * width + j] = 1; }
            }
            var generated = Seq2SeqGenerator.Generate(model.Backbone, model.Adapters, torch.tensor(ids, [encoded.Count, width]),
                torch.tensor(mask, [encoded.Count, width]), options);
            foreach (var g in generated)
            {
                var text = tokenizer.Decode(g.Tokens.Select(t => (int)t)).ReplaceLineEndings(" ").Trim();
                results.Add(new Generation(chunk[g.InputIndex], text, g.Tokens, g.Score));
            }
        }
        return results;
    }

    /// <summary>The catalog entry of <paramref name="model"/>; for an HF checkpoint folder, the catalog entry of its <c>model_type</c>
    /// (bart → bart-base, mbart → mbart-large-cc25) for the tokenizer kind and position limit.</summary>
    /// <exception cref="ArgumentException">Unknown model, an encoder, or a folder without a known encoder-decoder <c>model_type</c>.</exception>
    private static ModelEntry Entry(string model)
    {
        var entry = ModelCatalog.TryFind(model);
        if (entry is null && Directory.Exists(model))
        {
            var config = Path.Combine(model, "config.json");
            var type = File.Exists(config) ? Models.Bart.BartConfig.ReadModelType(model) : null;
            entry = type switch
            {
                "bart" => ModelCatalog.BartBase,
                "mbart" => ModelCatalog.MBartLargeCc25,
                _ => throw new ArgumentException($"'{model}': config.json model_type '{type}' is not an encoder-decoder; allowed: bart, mbart"),
            };
        }
        if (entry is null)
        {
            throw ModelCatalog.Unknown(model);
        }
        return entry.Family == ModelFamily.EncoderDecoder ? entry : throw new ArgumentException(
            $"model '{entry.Name}' is an encoder; generate needs an encoder-decoder: {string.Join(", ", ModelCatalog.All.Where(m => m.Family == ModelFamily.EncoderDecoder).Select(m => m.Name))}");
    }

    /// <summary>What the adapter folder says about itself (<see cref="AdapterFiles.ReadInfo"/>), checked against the model.</summary>
    /// <exception cref="ArgumentException">The adapter was trained for another catalog model.</exception>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">The config lacks the <c>peftgrid</c> object.</exception>
    public static AdapterFiles.AdapterInfo ReadAdapter(string folder, ModelEntry entry)
    {
        var info = AdapterFiles.ReadInfo(folder);
        if (ModelCatalog.TryFind(info.Model) is { } trained && trained.Name != entry.Name)
        {
            throw new ArgumentException($"--adapter: '{folder}' was trained for model '{info.Model}', not '{entry.Name}'");
        }
        return info;
    }

    /// <summary>Applies the adapter folder's configuration and trained parameters to <paramref name="model"/> with the one seq2seq
    /// adapter loader (<see cref="AdapterFiles.LoadInto"/>, also used by <see cref="AdapterFiles.LoadSeq2Seq"/>).</summary>
    /// <exception cref="InvalidDataException">Missing, unknown or mis-shaped tensors.</exception>
    public static void LoadAdapter(Seq2SeqModel model, string folder, AdapterFiles.AdapterInfo info) => AdapterFiles.LoadInto(model, folder, info);

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "encoder-decoder: minilm2minilm, or an HF BART/mBART checkpoint folder", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "adapter folder (adapter_config.json with a peftgrid object + adapter_model.safetensors)" };
        var input = new Option<string>("--input") { Description = "source text, or a file with one input per line", Required = true };
        var beams = new Option<int>("--beams") { Description = "beams (1 = greedy search)", DefaultValueFactory = _ => 1 };
        var minLength = new Option<int>("--min-length") { Description = "minimum decoder length incl. the start token (EOS banned before)", DefaultValueFactory = _ => 0 };
        var maxLength = new Option<int>("--max-length") { Description = "maximum decoder length incl. the start token", DefaultValueFactory = _ => 60 };
        var lengthPenalty = new Option<double>("--length-penalty") { Description = "beam score = sum log p / length^X", DefaultValueFactory = _ => 1.0 };
        var noRepeat = new Option<int>("--no-repeat-ngram") { Description = "ban repeated n-grams of this size (0 = off)", DefaultValueFactory = _ => 0 };
        var earlyStopping = new Option<bool>("--early-stopping") { Description = "beam search: stop an input once --beams hypotheses are finished" };
        var noCache = new Option<bool>("--no-cache") { Description = "re-decode the whole prefix every step instead of using the KV cache" };
        var sourceLang = new Option<string?>("--source-lang") { Description = "mBART source language code (default en_XX)" };
        var targetLang = new Option<string?>("--target-lang") { Description = "mBART target language code (default ro_RO)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer folder (vocab.txt / vocab.json + merges.txt / sentencepiece.bpe.model)" };
        var maxSource = new Option<int?>("--max-source-length") { Description = "source tokens per input incl. special tokens (default: the model's maximum)" };
        var batch = new Option<int>("--batch-size") { Description = "inputs generated together", DefaultValueFactory = _ => 8 };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: processor count)" };
        var json = new Option<bool>("--json") { Description = "print a JSON array (input, text, tokens, score) instead of one line per input" };
        var seed = new Option<long>("--seed") { Description = "torch seed for parts the checkpoint lacks (untrained minilm2minilm cross-attention)", DefaultValueFactory = _ => 0 };
        var command = new Command("generate", "Generate with an encoder-decoder (greedy or beam search), one output line per input line")
        {
            model, adapter, input, beams, minLength, maxLength, lengthPenalty, noRepeat, earlyStopping, noCache, sourceLang, targetLang, tokenizer,
            maxSource, batch, threads, seed, json,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var options = Options(parse.GetValue(beams), parse.GetValue(minLength), parse.GetValue(maxLength), parse.GetValue(lengthPenalty),
                parse.GetValue(noRepeat), parse.GetValue(earlyStopping), parse.GetValue(noCache));
            if (parse.GetValue(batch) < 1) throw new ArgumentException($"--batch-size must be ≥ 1; got {parse.GetValue(batch)}");
            if (parse.GetValue(threads) is { } t)
            {
                if (t < 1) throw new ArgumentException($"--threads must be ≥ 1; got {t}");
            }
            CliRuntime.Prepare(parse.GetValue(threads));
            var request = new Request(parse.GetValue(model)!, parse.GetValue(adapter), ReadInputs(parse.GetValue(input)!), options, parse.GetValue(tokenizer),
                parse.GetValue(sourceLang), parse.GetValue(targetLang), parse.GetValue(maxSource), parse.GetValue(batch))
            {
                Seed = parse.GetValue(seed),
            };
            var results = Run(request);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(results, PeftGridJson.Options));
                return 0;
            }
            foreach (var r in results) Console.WriteLine(r.Text);
            return 0;
        }));
        return command;
    }
}
