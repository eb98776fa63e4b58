using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Json;
using PeftGrid.Models;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid budget --model M --method SPEC [--target P%] [--json]</c>: counts, and sizes solved for a tier (DESIGN.md §3, §6).</summary>
public static class BudgetCommand
{
    /// <summary>The report printed (and serialised with <c>--json</c>).</summary>
    /// <param name="Model">Model name.</param>
    /// <param name="Method">The resolved spec (solved sizes).</param>
    /// <param name="PaperCount">Paper-convention count.</param>
    /// <param name="TrainableCount">Closed-form trainable count (task head excluded).</param>
    /// <param name="TotalCount">The model's parameter count (pooler and head excluded).</param>
    /// <param name="Percent">PaperCount / TotalCount, %.</param>
    /// <param name="TrainablePercent">TrainableCount / TotalCount, %.</param>
    /// <param name="TargetPercent">The tier asked for, %, or null.</param>
    /// <param name="MissPercent">Achieved − target, percentage points, or null.</param>
    /// <param name="SolvedKnobs">Knobs the solver set.</param>
    public sealed record BudgetReport(string Model, string Method, long PaperCount, long TrainableCount, long TotalCount, double Percent,
        double TrainablePercent, double? TargetPercent, double? MissPercent, IReadOnlyList<string> SolvedKnobs);

    /// <summary>Parses a percentage such as <c>0.5%</c> or <c>0.5</c>.</summary>
    /// <exception cref="ArgumentException">Not a number.</exception>
    public static double ParsePercent(string text, string option) =>
        double.TryParse(text.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new ArgumentException($"{option}: '{text}' is not a percentage; expected e.g. 0.5%");

    /// <summary>Computes the report.</summary>
    /// <exception cref="ArgumentException">Unknown model/method, bad sizes, or an unreachable target.</exception>
    public static BudgetReport Compute(string model, string method, double? target)
    {
        var shape = ModelLoader.Shape(model);
        var config = PeftConfig.Parse(method).ValidateFor(shape);
        if (target is { } t)
        {
            var solution = BudgetSolver.Solve(config, shape, t);
            var c = solution.Counts;
            return new BudgetReport(shape.Name, solution.Config.Spec, c.PaperCount, c.TrainableCount, c.TotalCount, c.Percent, c.TrainablePercent,
                t, solution.MissPercent, solution.SolvedKnobs);
        }
        var counts = ParameterBudget.Count(config, shape);
        return new BudgetReport(shape.Name, config.Spec, counts.PaperCount, counts.TrainableCount, counts.TotalCount, counts.Percent,
            counts.TrainablePercent, null, null, []);
    }

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = ModelCatalog.Allowed, Required = true };
        var method = new Option<string>("--method") { Description = "method spec, e.g. lora-attn or \"mam[l=16,r=16,s=2]\"", Required = true };
        var target = new Option<string?>("--target") { Description = "budget tier in % of the model's parameters, e.g. 0.5%" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var command = new Command("budget", "Parameter counts of a method on a model; with --target, solve its sizes for a budget tier") { model, method, target, json };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var t = parse.GetValue(target) is { } text ? ParsePercent(text, "--target") : (double?)null;
            var report = Compute(parse.GetValue(model)!, parse.GetValue(method)!, t);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, PeftGridJson.Options));
                return 0;
            }
            var table = new Table().AddColumns("field", "value");
            table.AddRow("model", report.Model).AddRow("method", Markup.Escape(report.Method))
                .AddRow("paper count", report.PaperCount.ToString("N0", CultureInfo.InvariantCulture))
                .AddRow("trainable count", report.TrainableCount.ToString("N0", CultureInfo.InvariantCulture))
                .AddRow("total count", report.TotalCount.ToString("N0", CultureInfo.InvariantCulture))
                .AddRow("% (paper)", report.Percent.ToString("0.####", CultureInfo.InvariantCulture) + " %")
                .AddRow("% (trainable)", report.TrainablePercent.ToString("0.####", CultureInfo.InvariantCulture) + " %");
            if (report.TargetPercent is { } tp)
            {
                table.AddRow("target", tp.ToString("0.####", CultureInfo.InvariantCulture) + " %")
                    .AddRow("miss", report.MissPercent!.Value.ToString("+0.####;-0.####;0", CultureInfo.InvariantCulture) + " pp")
                    .AddRow("solved", Markup.Escape(string.Join(", ", report.SolvedKnobs)));
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
