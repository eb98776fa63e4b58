using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Cli.Sweeps;
using PeftGrid.Contracts.Json;
using PeftGrid.Peft.Catalog;
using PeftGrid.Tasks.Runner;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid eval --adapter DIR [--task T] [--data DIR] [--max-eval-examples N] [--threads N] [--json]</c>: reloads a saved adapter
/// and re-scores it on the dev split: a GLUE adapter by accuracy, an XSum / WMT16 en-ro adapter by generation with the task's decoding
/// settings (ROUGE-1/2/L/Lsum, or BLEU and the paper-pipeline BLEU; <see cref="AdapterEvaluator"/>).</summary>
public static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var adapter = new Option<string>("--adapter") { Description = "folder written by peftgrid train --save-adapter", Required = true };
        var task = new Option<string?>("--task") { Description = "task to score on (default: the adapter's)" };
        var data = new Option<string?>("--data") { Description = "data root holding glue/, xsum/, wmt16-ro-en/ (default: $PEFTGRID_DATA, else ../shared/data)" };
        var maxEval = new Option<int?>("--max-eval-examples") { Description = "evaluate on the first N dev examples" };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: processor count)" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var command = new Command("eval", "Reload a saved adapter and score it on the dev split (GLUE accuracy; XSum ROUGE or en-ro BLEU by generation)")
        {
            adapter, task, data, maxEval, threads, json,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            if (parse.GetValue(threads) is < 1) throw new ArgumentException($"--threads must be ≥ 1; got {parse.GetValue(threads)}");
            CliRuntime.Prepare(parse.GetValue(threads));
            var score = AdapterEvaluator.Evaluate(parse.GetValue(adapter)!, parse.GetValue(task), parse.GetValue(data), parse.GetValue(maxEval), parse.GetValue(threads));
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    task = score.Task.Name, method = score.Info.Spec, model = score.Info.Model,
                    metrics = score.Metrics, examples = score.Examples, generation = score.Generation,
                }, PeftGridJson.Options));
                return 0;
            }
            var table = new Table().AddColumns("field", "value")
                .AddRow("task", score.Task.Name).AddRow("model", Markup.Escape(score.Info.Model)).AddRow("method", Markup.Escape(score.Info.Spec))
                .AddRow("examples", score.Examples.ToString(CultureInfo.InvariantCulture));
            foreach (var metric in score.Task.Metrics.Where(score.Metrics.ContainsKey))
            {
                table.AddRow(Markup.Escape($"dev {MetricLabels.Label(metric)}"),
                    MetricLabels.Format(metric, score.Metrics[metric]) + (TaskCatalog.IsFraction(metric) ? " %" : ""));
            }
            if (score.Generation is { } g)
            {
                table.AddRow("generation", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"beams {g.NumBeams}, length {g.MinLength}–{g.MaxLength}, no-repeat {g.NoRepeatNgramSize}, length penalty {g.LengthPenalty:0.##}")));
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
