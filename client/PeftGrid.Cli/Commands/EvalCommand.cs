using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Json;
using PeftGrid.Tasks.Runner;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid eval --adapter DIR [--task T] [--data DIR] [--json]</c>: reloads a saved adapter and re-scores it on the dev split.</summary>
public static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var adapter = new Option<string>("--adapter") { Description = "folder written by peftgrid train --save-adapter", Required = true };
        var task = new Option<string?>("--task") { Description = "task to score on (default: the adapter's)" };
        var data = new Option<string?>("--data") { Description = "data root holding glue/ (default: $PEFTGRID_DATA, else ../shared/data)" };
        var maxEval = new Option<int?>("--max-eval-examples") { Description = "evaluate on the first N dev examples" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var command = new Command("eval", "Reload a saved adapter and score it on a GLUE dev split") { adapter, task, data, maxEval, json };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var score = AdapterEvaluator.Evaluate(parse.GetValue(adapter)!, parse.GetValue(task), parse.GetValue(data), parse.GetValue(maxEval));
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    task = score.Task.Name, method = score.Info.Spec, model = score.Info.Model,
                    metrics = new Dictionary<string, double> { ["accuracy"] = score.Accuracy }, examples = score.Examples,
                }, PeftGridJson.Options));
                return 0;
            }
            var table = new Table().AddColumns("field", "value")
                .AddRow("task", score.Task.Name).AddRow("model", score.Info.Model).AddRow("method", Markup.Escape(score.Info.Spec))
                .AddRow("examples", score.Examples.ToString(CultureInfo.InvariantCulture))
                .AddRow("dev accuracy", (100 * score.Accuracy).ToString("0.00", CultureInfo.InvariantCulture) + " %");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
