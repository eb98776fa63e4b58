using System.Net;
using System.Net.Sockets;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;

namespace PeftGrid.Dashboard.Tests;

/// <summary>What the API and browser fixtures share: submitting a grid of fake-runner cells, waiting for a sweep, a free port.</summary>
public static class TestSweeps
{
    /// <summary>Submits task × model × methods × tiers × seeds as one sweep; returns its id.</summary>
    /// <exception cref="InvalidOperationException">A cell was refused (the message gives the reason).</exception>
    public static async Task<string> SubmitAsync(ISchedulerGrain scheduler, string name, IEnumerable<string> methods, IEnumerable<double?> tiers,
        IEnumerable<int> seeds, int maxAttempts = 1, string task = "sst2", string model = "minilm")
    {
        var cells = (from m in methods from t in tiers from s in seeds
                     select new TrialSpec { Task = task, Model = model, Method = m, BudgetPercent = t, Seed = s }).ToList();
        var id = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
        var r = await scheduler.SubmitAsync(new SweepRequest { SweepId = id, Name = name, Cells = cells, Policy = new FailurePolicy { MaxAttempts = maxAttempts } });
        if (r.Refused.Count > 0)
        {
            throw new InvalidOperationException($"cells refused: {r.Refused[0].Reason}");
        }
        return id;
    }

    /// <summary>Waits (up to <paramref name="seconds"/>) until the sweep has no pending or running cell; returns its last status.</summary>
    public static async Task<SweepStatus> WaitCompleteAsync(ISchedulerGrain scheduler, string sweepId, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var s = await scheduler.GetStatusAsync(sweepId);
            if (s.IsComplete || DateTime.UtcNow > deadline)
            {
                return s;
            }
            await Task.Delay(50);
        }
    }

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
