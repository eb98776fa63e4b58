using System.CommandLine;
using System.Text.Json;
using PeftGrid.Peft.Specs;
using Spectre.Console;

namespace PeftGrid.Cli.Commands;

/// <summary><c>peftgrid methods [--json]</c>: the presets with their four design dimensions and default sizes.</summary>
public static class MethodsCommand
{
    /// <summary>One preset as listed: name, description, dimensions of each modification, knobs with defaults.</summary>
    public sealed record MethodRow(string Name, string Description, string Backbone, IReadOnlyList<DimensionsRow> Modifications,
        IReadOnlyDictionary<string, string> Defaults, string PaperSeq2SeqDefaults);

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
            p.Knobs.ToDictionary(k => k.Name, k => k.Default), p.PaperDefaults);
    }).ToList();

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
                Console.WriteLine(JsonSerializer.Serialize(rows, CliJson.Options));
                return 0;
            }
            var table = new Table().AddColumns("preset", "functional form", "modified repr.", "insertion", "composition", "defaults (encoder)", "paper seq2seq");
            foreach (var r in rows)
            {
                var mods = r.Modifications.Count == 0 ? [new DimensionsRow("-", "-", r.Backbone == "All" ? "all parameters" : "bias vectors", "-", "-", "", 0)] : r.Modifications;
                table.AddRow(Markup.Escape(r.Name), Markup.Escape(string.Join(" + ", mods.Select(m => m.FunctionalForm))),
                    Markup.Escape(string.Join(" + ", mods.Select(m => m.ModifiedRepresentation))), Markup.Escape(string.Join(" + ", mods.Select(m => m.InsertionForm))),
                    Markup.Escape(string.Join(" + ", mods.Select(m => m.CompositionFunction))),
                    Markup.Escape(string.Join(",", r.Defaults.Select(kv => $"{kv.Key}={kv.Value}"))), Markup.Escape(r.PaperSeq2SeqDefaults));
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
