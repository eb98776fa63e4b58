using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Json;
using PeftGrid.Tasks.Metrics;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid score --metric rouge|bleu|bleu-paper --pred FILE --ref FILE [--json]</c>: scores two files of one example per
/// line with PeftGrid's metrics, as rouge_score's and sacreBLEU's command lines do, so numbers can be checked against theirs
/// (PAPER.md §3.3). <c>rouge</c>: ROUGE-1/2/L/Lsum F × 100 (<see cref="Rouge"/>); <c>bleu</c>: sacreBLEU 13a (<see cref="Bleu"/>);
/// <c>bleu-paper</c>: the paper's Romanian pipeline (<see cref="RomanianBleu"/>).</summary>
public static class ScoreCommand
{
    /// <summary>The allowed <c>--metric</c> values.</summary>
    public static readonly IReadOnlyList<string> Metrics = ["rouge", "bleu", "bleu-paper"];

    /// <summary>What <c>score</c> prints (and serialises with <c>--json</c>).</summary>
    /// <param name="Metric">rouge, bleu or bleu-paper.</param>
    /// <param name="Predictions">The --pred file.</param>
    /// <param name="References">The --ref file.</param>
    /// <param name="Lines">Examples scored (lines per file).</param>
    /// <param name="Rouge">ROUGE F × 100 for <c>rouge</c>, else null.</param>
    /// <param name="Bleu">The BLEU for <c>bleu</c>/<c>bleu-paper</c>, else null.</param>
    /// <param name="Signature">The metric's settings line (ROUGE settings or the BLEU signature).</param>
    public sealed record ScoreReport(string Metric, string Predictions, string References, int Lines, RougeScores? Rouge, BleuScore? Bleu,
        string Signature);

    /// <summary>Reads both files (one example per line) and scores them.</summary>
    /// <exception cref="ArgumentException">Unknown metric, or the files have different line counts (message names both files and counts).</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    public static ScoreReport Compute(string metric, string predFile, string refFile)
    {
        if (!Metrics.Contains(metric))
        {
            throw new ArgumentException($"--metric: '{metric}' is not a metric; allowed: {string.Join(", ", Metrics)}");
        }
        var pred = ReadLines(predFile, "--pred");
        var reference = ReadLines(refFile, "--ref");
        if (pred.Length != reference.Length)
        {
            throw new ArgumentException(
                $"--pred {predFile} has {pred.Length} lines but --ref {refFile} has {reference.Length}; they must pair line by line");
        }
        if (pred.Length == 0)
        {
            throw new ArgumentException($"--pred {predFile} and --ref {refFile} are empty; nothing to score");
        }
        return metric switch
        {
            "rouge" => new ScoreReport(metric, predFile, refFile, pred.Length, Rouge.Score(pred, reference), null, Rouge.Signature()),
            "bleu" => BleuReport(metric, predFile, refFile, pred.Length, Bleu.Corpus(pred, reference)),
            _ => BleuReport(metric, predFile, refFile, pred.Length, RomanianBleu.Corpus(pred, reference)),
        };
    }

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var metric = new Option<string>("--metric") { Description = "rouge | bleu | bleu-paper", Required = true };
        var pred = new Option<string>("--pred") { Description = "predictions, one example per line", Required = true };
        var reference = new Option<string>("--ref") { Description = "references, one example per line", Required = true };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var command = new Command("score", "Score two files (one example per line) with ROUGE (rouge_score), BLEU (sacreBLEU 13a) or the paper's Romanian BLEU")
        {
            metric, pred, reference, json,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var report = Compute(parse.GetValue(metric)!, parse.GetValue(pred)!, parse.GetValue(reference)!);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, PeftGridJson.Options));
                return 0;
            }
            var table = new Table().AddColumns("metric", "value");
            if (report.Rouge is { } r)
            {
                table.AddRow("ROUGE-1", F(r.Rouge1)).AddRow("ROUGE-2", F(r.Rouge2)).AddRow("ROUGE-L", F(r.RougeL)).AddRow("ROUGE-Lsum", F(r.RougeLsum));
            }
            if (report.Bleu is { } b)
            {
                table.AddRow("BLEU", F(b.Score))
                    .AddRow("n-gram precisions", string.Join(" / ", b.Precisions.Select(p => p.ToString("0.0", CultureInfo.InvariantCulture))))
                    .AddRow("BP", b.BrevityPenalty.ToString("0.000", CultureInfo.InvariantCulture))
                    .AddRow("ratio", b.Ratio.ToString("0.000", CultureInfo.InvariantCulture))
                    .AddRow("hyp_len / ref_len", $"{b.HypothesisLength} / {b.ReferenceLength}");
            }
            table.AddRow("examples", report.Lines.ToString(CultureInfo.InvariantCulture)).AddRow("signature", Markup.Escape(report.Signature));
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static ScoreReport BleuReport(string metric, string predFile, string refFile, int lines, BleuScore score) =>
        new(metric, predFile, refFile, lines, null, score, score.Signature);

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string[] ReadLines(string path, string option) =>
        File.Exists(path) ? File.ReadAllLines(path) : throw new FileNotFoundException($"{option}: file '{path}' not found", path);
}
