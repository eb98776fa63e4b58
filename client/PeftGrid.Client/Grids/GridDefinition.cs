using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Peft.Framework;

namespace PeftGrid.Client.Grids;

/// <summary>One entry of a grid's <c>methods</c>: a configuration and, optionally, its own budget tiers and seeds.</summary>
/// <param name="Config">The configuration, parsed and validated by the one spec parser (<see cref="PeftConfig.Parse"/>).</param>
/// <param name="Budgets">Its tiers in % (null entry = the method's own sizes); null = the grid's <c>budgets</c>.</param>
public sealed record GridMethod(PeftConfig Config, IReadOnlyList<double?>? Budgets)
{
    /// <summary>The canonical resolved form, e.g. <c>mam[l=16,r=16,s=2,mid=800]</c> for <c>mam</c>.</summary>
    public string Spec => Config.Spec;

    /// <summary>The method text of a cell at <paramref name="tier"/>: <see cref="PeftConfig.Spec"/> for the method's own sizes,
    /// <see cref="PeftConfig.TierSpec"/> (sizes left to the worker's solver marked <c>*</c>) for a tier.</summary>
    public string For(double? tier) => tier is null ? Config.Spec : Config.TierSpec;

    /// <summary>Its own seeds (<c>"seeds"</c> of a method object, e.g. the paper's 3-seed rows of Table 6); null = the grid's <c>seeds</c>.</summary>
    public IReadOnlyList<int>? Seeds { get; init; }
}

/// <summary>A parsed grid file (see the README's "Grid files" section for the JSON format).</summary>
public sealed record GridDefinition
{
    /// <summary>Grid name (also the prefix of its sweep id).</summary>
    public required string Name { get; init; }
    /// <summary>Tasks.</summary>
    public required IReadOnlyList<string> Tasks { get; init; }
    /// <summary>Models.</summary>
    public required IReadOnlyList<string> Models { get; init; }
    /// <summary>Methods.</summary>
    public required IReadOnlyList<GridMethod> Methods { get; init; }
    /// <summary>Default budget tiers in % (null entry = the method's own sizes). Default: one null tier.</summary>
    public IReadOnlyList<double?> Budgets { get; init; } = [null];
    /// <summary>Seeds. Default [42].</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [42];
    /// <summary>Training profile of every cell.</summary>
    public TrainingProfile Profile { get; init; } = new();
    /// <summary>Failure policy.</summary>
    public FailurePolicy Policy { get; init; } = new();
}

/// <summary>A grid expanded into cells.</summary>
public sealed record GridExpansion
{
    /// <summary>The request to submit (cells de-duplicated).</summary>
    public required SweepRequest Request { get; init; }
    /// <summary>One line per cell that appeared more than once (merged).</summary>
    public IReadOnlyList<string> Duplicates { get; init; } = [];
}

/// <summary>A grid file error; <see cref="JsonPath"/> names the bad field (e.g. <c>$.methods[2]</c>).</summary>
public sealed class GridFormatException(string jsonPath, string message) : FormatException($"{jsonPath}: {message}")
{
    /// <summary>JSON path of the bad field.</summary>
    public string JsonPath { get; } = jsonPath;
}
