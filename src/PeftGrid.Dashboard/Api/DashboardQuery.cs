using System.Globalization;
using Microsoft.AspNetCore.Http;
using PeftGrid.Contracts.Grid;

namespace PeftGrid.Dashboard.Api;

/// <summary>A query-string value the dashboard cannot use; the message is one line naming the field and the allowed values (→ 400).</summary>
/// <param name="message">The message.</param>
public sealed class DashboardQueryException(string message) : Exception(message);

/// <summary>Reads the dashboard's query strings strictly: an unknown sort, status or a limit outside 1–500 is an error, never ignored.</summary>
public static class DashboardQuery
{
    /// <summary>Most rows a page may ask for (as <see cref="CellQuery.Limit"/> allows).</summary>
    public const int MaxLimit = 500;

    /// <summary>The <see cref="CellQuery"/> of <c>offset, limit, sort, desc, task, model, method, tier, seed, status, q</c>.</summary>
    /// <exception cref="DashboardQueryException">A bad value.</exception>
    public static CellQuery Cells(IQueryCollection q) => new()
    {
        Offset = Int(q, "offset", 0, 0, int.MaxValue),
        Limit = Int(q, "limit", 50, 1, MaxLimit),
        Sort = Enum(q, "sort", CellSort.Order),
        Descending = Bool(q, "desc") ?? false,
        Task = Text(q, "task"),
        Model = Text(q, "model"),
        Method = Text(q, "method"),
        Tier = Text(q, "tier"),
        Seed = Text(q, "seed") is null ? null : Int(q, "seed", 0, int.MinValue, int.MaxValue),
        Status = Text(q, "status") is null ? null : Enum(q, "status", CellStatus.Pending),
        Text = Text(q, "q"),
    };

    /// <summary>The trimmed value of <paramref name="name"/>, null when absent or empty.</summary>
    public static string? Text(IQueryCollection q, string name) =>
        q.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="DashboardQueryException">Not an integer or out of range.</exception>
    public static int Int(IQueryCollection q, string name, int fallback, int min, int max)
    {
        if (Text(q, name) is not { } text)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            var range = max == int.MaxValue ? (min == int.MinValue ? "an integer" : $"an integer ≥ {min}") : $"an integer {min}–{max}";
            throw new DashboardQueryException($"{name}: '{text}' is not allowed; expected {range}");
        }
        return v;
    }

    /// <summary><c>true</c>/<c>false</c> (also <c>1</c>/<c>0</c>), null when absent.</summary>
    /// <exception cref="DashboardQueryException">Anything else.</exception>
    public static bool? Bool(IQueryCollection q, string name) => Text(q, name)?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" => true,
        "false" or "0" => false,
        var other => throw new DashboardQueryException($"{name}: '{other}' is not allowed; expected true or false"),
    };

    /// <summary>An enum value by name (case-insensitive; numbers are refused), <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="DashboardQueryException">Not a name of <typeparamref name="T"/>; the message lists the names.</exception>
    public static T Enum<T>(IQueryCollection q, string name, T fallback) where T : struct, System.Enum
    {
        if (Text(q, name) is not { } text)
        {
            return fallback;
        }
        var match = System.Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
        return match is not null
            ? System.Enum.Parse<T>(match)
            : throw new DashboardQueryException(
                $"{name}: '{text}' is not allowed; expected one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
    }
}
