using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PeftGrid.Contracts.Json;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Catalog;
using PeftGrid.Peft.Framework;
using PeftGrid.Peft.Specs;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid methods [--model M [--sizes defaults|paper-seq2seq]] [--json]</c>: the presets with their four design dimensions,
/// default sizes and what a budget tier solves; with <c>--model</c>, each preset's counts on that model (encoder-decoders included).</summary>
public static partial class MethodsCommand
{
    /// <summary>Which sizes <c>--model</c> counts a preset at.</summary>
    public enum SizeSet
    {
        /// <summary>The preset's defaults (the paper's GLUE settings: l = 16, r = 16, …).</summary>
        Defaults,
        /// <summary>The paper's seq2seq defaults (<see cref="MethodRow.Seq2SeqSpec"/>: prefix l = 200, MAM l = 30, r = 512, s = 4, …).</summary>
        PaperSeq2Seq,
    }

    /// <summary>One preset as listed: name, description, dimensions of each modification, knobs with defaults, and what a
    /// budget tier does to it (<see cref="BudgetSolver.Rule"/>).</summary>
    /// <param name="Name">Preset name.</param>
    /// <param name="Description">One line with the paper reference.</param>
    /// <param name="Backbone">Which pretrained parameters train (Frozen, Biases, All).</param>
    /// <param name="Modifications">The design dimensions of each modification at default sizes.</param>
    /// <param name="Defaults">Every knob with its default, in canonical order.</param>
    /// <param name="PaperSeq2SeqDefaults">The paper's seq2seq defaults where they differ.</param>
    /// <param name="BudgetSolves">The size knobs a budget tier solves when the spec does not write them.</param>
    /// <param name="BudgetRule">What a budget tier does to this preset, in words.</param>
    public sealed record MethodRow(string Name, string Description, string Backbone, IReadOnlyList<DimensionsRow> Modifications,
        IReadOnlyDictionary<string, string> Defaults, string PaperSeq2SeqDefaults, IReadOnlyList<string> BudgetSolves, string BudgetRule)
    {
        /// <summary>The preset at the paper's seq2seq defaults as a resolved spec (<c>mam[l=30,r=512,s=4,mid=800]</c>).</summary>
        public string Seq2SeqSpec { get; init; } = Name;

        /// <summary>The counts on <c>--model</c> (paper and trainable count, total, % of the true size, % as the paper maps it for an
        /// encoder-decoder, new parameters apart); null without <c>--model</c> or when the sizes do not fit the model.</summary>
        public BudgetCommand.BudgetReport? Budget { get; init; }

        /// <summary>Why the sizes do not fit <c>--model</c> (one line), or null.</summary>
        public string? BudgetError { get; init; }
    }

    /// <summary>The design dimensions of one modification.</summary>
    public sealed record DimensionsRow(string Name, string FunctionalForm, string ModifiedRepresentation, string InsertionForm,
        string CompositionFunction, string SizeName, int Size);

    /// <summary>Rows for every preset, built from the preset table with default knobs; with <paramref name="model"/>, each preset's counts
    /// on it at <paramref name="sizes"/> (null: the paper's seq2seq sizes on an encoder-decoder, the defaults on an encoder).</summary>
    /// <exception cref="ArgumentException">Unknown model.</exception>
    public static IReadOnlyList<MethodRow> Rows(string? model = null, SizeSet? sizes = null)
    {
        var shape = model is null ? null : Models.ModelLoader.Shape(model);
        var set = sizes ?? (shape is { IsEncoderDecoder: true } ? SizeSet.PaperSeq2Seq : SizeSet.Defaults);
        return Presets.List.Select(p =>
        {
            var config = MethodSpec.Parse(p.Name);
            var seq2seq = Seq2SeqSpec(p);
            var row = new MethodRow(p.Name, p.Description, config.Backbone.ToString(),
                config.Modifications.Select(m => new DimensionsRow(m.Name, m.Form.ToString(), m.Representation.ToString(), m.Insertion.ToString(),
                    m.Composition.ToString(), m.SizeName, m.Size)).ToList(),
                p.Knobs.ToDictionary(k => k.Name, k => k.Default), p.PaperDefaults, p.Knobs.Where(k => k.IsSize).Select(k => k.Name).ToList(), TierRule(p))
            {
                Seq2SeqSpec = seq2seq,
            };
            if (shape is null)
            {
                return row;
            }
            try
            {
                var counted = PeftConfig.Parse(set == SizeSet.PaperSeq2Seq ? seq2seq : p.Name).ValidateFor(shape);
                return row with { Budget = BudgetCommand.Report(shape, counted.Spec, ParameterBudget.Count(counted, shape)) };
            }
            catch (ArgumentException e)
            {
                return row with { BudgetError = e.Message.ReplaceLineEndings(" ") };
            }
        }).ToList();
    }

    /// <summary>
    /// The preset at the paper's seq2seq defaults (<see cref="Preset.PaperDefaults"/>, e.g. <c>r=200, alpha=400 (s=2)</c>) as a resolved
    /// spec: the first value written for each of the preset's knobs (<c>l=200 (MT) / 300 (XSum)</c> gives l = 200); other names are
    /// comments. The preset's own defaults where the paper states nothing.
    /// </summary>
    public static string Seq2SeqSpec(Preset preset)
    {
        var knobs = preset.Knobs.Select(k => k.Name).ToHashSet();
        var written = new List<string>();
        foreach (Match m in KnobValue().Matches(preset.PaperDefaults))
        {
            var name = m.Groups[1].Value;
            if (knobs.Remove(name))
            {
                written.Add($"{name}={m.Groups[2].Value}");
            }
        }
        var text = written.Count == 0 ? preset.Name : $"{preset.Name}[{string.Join(",", written)}]";
        return PeftConfig.Parse(text).Spec;
    }

    [GeneratedRegex(@"\b([a-z_]+)=([0-9.]+|learned|concat|explicit)")]
    private static partial Regex KnobValue();

    /// <summary>What a budget tier does to <paramref name="preset"/>: the sizes it solves, the knobs that follow them, the rest kept.</summary>
    public static string TierRule(Preset preset)
    {
        var sizes = preset.Knobs.Where(k => k.IsSize).Select(k => k.Name).ToList();
        if (sizes.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"no size to solve: a tier within a factor of {BudgetSolver.FixedSizeTolerance} of its own size is accepted");
        }
        var rule = $"a tier solves {string.Join(", ", sizes)} unless written";
        foreach (var f in preset.Knobs.Where(k => k.ScalesWith is not null))
        {
            rule += $"; {f.Name} follows {f.ScalesWith} ({f.Name} := s·{f.ScalesWith}, s = {f.Name}/{f.ScalesWith} as the spec resolves it)";
        }
        var kept = preset.Knobs.Where(k => !k.IsSize && k.ScalesWith is null).Select(k => k.Name).ToList();
        return kept.Count == 0 ? rule : rule + $"; {string.Join(", ", kept)} kept";
    }

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print JSON instead of a table" };
        var model = new Option<string?>("--model") { Description = "also count each preset on this model: " + ModelCatalog.Allowed };
        var sizes = new Option<string?>("--sizes")
        {
            Description = "with --model: count at the preset 'defaults' or at the 'paper-seq2seq' sizes (default: paper-seq2seq on an encoder-decoder, else defaults)",
        };
        var command = new Command("methods", "List the PEFT presets with their four design dimensions and default sizes; with --model, their counts on it")
        {
            json, model, sizes,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var set = parse.GetValue(sizes) switch
            {
                null => (SizeSet?)null,
                "defaults" => SizeSet.Defaults,
                "paper-seq2seq" => SizeSet.PaperSeq2Seq,
                var other => throw new ArgumentException($"--sizes: '{other}' is not a size set; allowed: defaults, paper-seq2seq"),
            };
            if (set is not null && parse.GetValue(model) is null)
            {
                throw new ArgumentException("--sizes needs --model (the model to count the presets on)");
            }
            var rows = Rows(parse.GetValue(model), set);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, PeftGridJson.Options));
                return 0;
            }
            var table = new Table().AddColumns("preset", "functional form", "modified repr.", "insertion", "composition", "defaults (encoder)", "paper seq2seq", "a budget tier");
            foreach (var r in rows)
            {
                var mods = r.Modifications.Count == 0 ? [new DimensionsRow("-", "-", r.Backbone == "All" ? "all parameters" : "bias vectors", "-", "-", "", 0)] : r.Modifications;
                table.AddRow(Markup.Escape(r.Name), Markup.Escape(string.Join(" + ", mods.Select(m => m.FunctionalForm))),
                    Markup.Escape(string.Join(" + ", mods.Select(m => m.ModifiedRepresentation))), Markup.Escape(string.Join(" + ", mods.Select(m => m.InsertionForm))),
                    Markup.Escape(string.Join(" + ", mods.Select(m => m.CompositionFunction))),
                    Markup.Escape(string.Join(",", r.Defaults.Select(kv => $"{kv.Key}={kv.Value}"))), Markup.Escape(r.PaperSeq2SeqDefaults),
                    Markup.Escape(r.BudgetRule));
            }
            AnsiConsole.Write(table);
            if (parse.GetValue(model) is not null)
            {
                AnsiConsole.Write(CountsTable(rows));
            }
            Console.WriteLine($"Budget tiers: {BudgetSolver.Rule}");
            return 0;
        }));
        return command;
    }

    /// <summary>The counts of every row on <c>--model</c>: spec counted, paper count, trainable count, % of the true size, % as the paper
    /// maps it (encoder-decoders), and the new parameters apart (not in the budget).</summary>
    private static Table CountsTable(IReadOnlyList<MethodRow> rows)
    {
        var first = rows.Select(r => r.Budget).FirstOrDefault(b => b is not null);
        var table = new Table().AddColumns("preset", "counted as", "paper count", "trainable", "% of total", "% as the paper maps it");
        if (first is not null)
        {
            var newParts = first.NewParameters > 0
                ? string.Create(CultureInfo.InvariantCulture, $"; {first.NewParameters:N0} new parameters (cross-attention, LM-head bias) train with every method, not in the budget")
                : "";
            var mapped = first.PaperMappedTotal is { } t ? string.Create(CultureInfo.InvariantCulture, $"; paper % = paper count / {t:N0}") : "";
            table.Caption(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{first.Model}: total {first.TotalCount:N0}{mapped}{newParts}")));
        }
        foreach (var r in rows)
        {
            if (r.Budget is not { } b)
            {
                table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.BudgetError ?? "-"), "", "", "", "");
                continue;
            }
            table.AddRow(Markup.Escape(r.Name), Markup.Escape(b.Method), b.PaperCount.ToString("N0", CultureInfo.InvariantCulture),
                b.TrainableCount.ToString("N0", CultureInfo.InvariantCulture), b.Percent.ToString("0.###", CultureInfo.InvariantCulture) + " %",
                b.PaperPercent is { } pp ? pp.ToString("0.###", CultureInfo.InvariantCulture) + " %" : "-");
        }
        return table;
    }
}
