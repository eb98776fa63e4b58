using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PeftGrid.Contracts.Json;
using PeftGrid.Peft.Budget;
using PeftGrid.Peft.Specs;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid methods [--json]</c>: the presets with their four design dimensions, default sizes and what a budget tier solves.</summary>
public static class MethodsCommand
{
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
        IReadOnlyDictionary<string, string> Defaults, string PaperSeq2SeqDefaults, IReadOnlyList<string> BudgetSolves, string BudgetRule);

    /// <summary>The design dimensions of one modification.</summary>
    public sealed record DimensionsRow(string Name, string FunctionalForm, string ModifiedRepresentation, string InsertionForm,
        string CompositionFunction, string SizeName, int Size);

    /// <summary>Rows for every preset, built from the preset table with default knobs.</summary>
    public static IReadOnlyList<MethodRow> Rows() => Presets.List.Select(p =>
    {
        var config = MethodSpec.Parse(p.Name);
        return new MethodRow(p.Name, p.Description, config.Backbone.ToString(),
            config.Modifications.Select(m => new DimensionsRow(m.Name, m.Form.ToString(), m.Representation.ToString(), m.Insertion.ToString(),
                m.Composition.ToString(), m.SizeName, m.Size)).ToList(),
            p.Knobs.ToDictionary(k => k.Name, k => k.Default), p.PaperDefaults, p.Knobs.Where(k => k.IsSize).Select(k => k.Name).ToList(), TierRule(p));
    }).ToList();

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
        var command = new Command("methods", "List the PEFT presets with their four design dimensions and default sizes") { json };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var rows = Rows();
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
            Console.WriteLine($"Budget tiers: {BudgetSolver.Rule}");
            return 0;
        }));
        return command;
    }
}
