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

/// <summary><c>peftgrid budget --model M --method SPEC [--target P%] [--json]</c>: counts, and sizes solved for a tier (DESIGN.md §3, §6).
/// Encoder-decoders count with N_attn = 3, N_ffn = 2 (PAPER.md §1.15) and also report the % as the paper maps it.</summary>
public static class BudgetCommand
{
    /// <summary>The report printed (and serialised with <c>--json</c>).</summary>
    /// <param name="Model">Model name.</param>
    /// <param name="Method">The resolved spec (solved sizes).</param>
    /// <param name="PaperCount">Paper-convention count.</param>
    /// <param name="TrainableCount">Closed-form trainable count (task head excluded).</param>
    /// <param name="TotalCount">The model's parameter count (pooler and head excluded).</param>
    /// <param name="Percent">PaperCount / TotalCount, % of the true model size (what budget tiers use).</param>
    /// <param name="TrainablePercent">TrainableCount / TotalCount, %.</param>
    /// <param name="TargetPercent">The tier asked for, %, or null.</param>
    /// <param name="MissPercent">Achieved − target, percentage points, or null.</param>
    /// <param name="SolvedKnobs">Knobs the solver set.</param>
    public sealed record BudgetReport(string Model, string Method, long PaperCount, long TrainableCount, long TotalCount, double Percent,
        double TrainablePercent, double? TargetPercent, double? MissPercent, IReadOnlyList<string> SolvedKnobs)
    {
        /// <summary>True for an encoder-decoder (counted with N_attn = 3, N_ffn = 2).</summary>
        public bool EncoderDecoder { get; init; }

        /// <summary>The paper's % denominator (<see cref="ModelShape.PaperMappedTotal"/>: 409,600,000 for BART-large and mBART-large-cc25);
        /// null for an encoder, where the paper divides by the true size.</summary>
        public long? PaperMappedTotal { get; init; }

        /// <summary>PaperCount / PaperMappedTotal, % as the paper prints it for encoder-decoders (PAPER.md §1.15: MAM l=30, r=512 is
        /// 6.68 on both BART-large and mBART); null for an encoder.</summary>
        public double? PaperPercent { get; init; }

        /// <summary>Parameters the checkpoint lacks (minilm2minilm's cross-attention and LM-head bias): they train with every method and
        /// are not in the budget (not in any count or total above); 0 for every other model.</summary>
        public long NewParameters { get; init; }
    }

    /// <summary>The report of <paramref name="counts"/> on <paramref name="shape"/> (no tier).</summary>
    public static BudgetReport Report(ModelShape shape, string spec, BudgetCounts counts, double? target = null, double? miss = null,
        IReadOnlyList<string>? solved = null) =>
        new(shape.Name, spec, counts.PaperCount, counts.TrainableCount, counts.TotalCount, counts.Percent, counts.TrainablePercent,
            target, miss, solved ?? [])
        {
            EncoderDecoder = shape.IsEncoderDecoder,
            PaperMappedTotal = counts.PaperMappedTotal,
            PaperPercent = counts.PaperMappedTotal is null ? null : counts.PaperPercent,
            NewParameters = shape.NewParameters,
        };

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
            return Report(shape, solution.Config.Spec, solution.Counts, t, solution.MissPercent, solution.SolvedKnobs);
        }
        return Report(shape, config.Spec, ParameterBudget.Count(config, shape));
    }

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = ModelCatalog.Allowed, Required = true };
        var method = new Option<string>("--method") { Description = "method spec, e.g. lora-attn or \"mam[l=16,r=16,s=2]\"", Required = true };
        var target = new Option<string?>("--target") { Description = "budget tier in % of the model's true parameter count (not the paper's mapped %), e.g. 0.5%" };
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
                .AddRow("% of total (paper count)", Pct(report.Percent))
                .AddRow("% of total (trainable)", Pct(report.TrainablePercent));
            if (report.PaperPercent is { } pp)
            {
                table.AddRow(Markup.Escape("% as the paper maps it"), Markup.Escape(
                    $"{Pct(pp)} (paper count / {report.PaperMappedTotal!.Value.ToString("N0", CultureInfo.InvariantCulture)}, PAPER.md §1.15)"));
            }
            if (report.NewParameters > 0)
            {
                table.AddRow("new parameters", report.NewParameters.ToString("N0", CultureInfo.InvariantCulture)
                    + " (cross-attention, LM-head bias: train with every method, not in the budget)");
            }
            if (report.TargetPercent is { } tp)
            {
                table.AddRow("target", Pct(tp))
                    .AddRow("miss", report.MissPercent!.Value.ToString("+0.####;-0.####;0", CultureInfo.InvariantCulture) + " pp")
                    .AddRow("solved", Markup.Escape(string.Join(", ", report.SolvedKnobs)));
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static string Pct(double value) => value.ToString("0.####", CultureInfo.InvariantCulture) + " %";
}
