using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Scheduler;

namespace PeftGrid.Grains.Workers;

/// <summary>Runs one <see cref="DeviceWorker"/> per configured device of this silo until the host stops.</summary>
public sealed class WorkerPoolService(
    WorkerOptions options, ITrialRunner runner, IGrainFactory grains, ILocalSiloDetails silo, ILoggerFactory loggers) : BackgroundService
{
    /// <summary>The workers, once started.</summary>
    public IReadOnlyList<DeviceWorker> Workers { get; private set; } = [];

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Disabled)
        {
            return Task.CompletedTask;
        }
        var logger = loggers.CreateLogger<DeviceWorker>();
        var name = silo.Name;
        Workers = options.WorkerSlots.Select(d => new DeviceWorker($"{name}/{d}", d, options, runner, grains, logger)).ToList();
        return Task.WhenAll(Workers.Select(w => Task.Run(() => w.RunAsync(stoppingToken), CancellationToken.None)));
    }
}

/// <summary>Registration of the grains' runtime services.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>Adds the worker pool (one worker per device in <paramref name="options"/>) running <paramref name="runner"/>, and the
    /// scheduler's admission check (it must be the same on every silo of a cluster), and <see cref="TimeProvider.System"/> as the grains' clock unless one is registered.</summary>
    /// <param name="services">The silo's services.</param>
    /// <param name="options">The local workers.</param>
    /// <param name="runner">The trial runner of this silo's workers.</param>
    /// <param name="admission">What the scheduler refuses at submission; null = <see cref="CatalogAdmission"/>.</param>
    public static IServiceCollection AddPeftGridWorkers(this IServiceCollection services, WorkerOptions options, ITrialRunner runner, ICellAdmission? admission = null)
    {
        services.AddSingleton(options);
        services.AddSingleton(runner);
        services.AddSingleton(admission ?? CatalogAdmission.Instance);
        services.TryAddSingleton(TimeProvider.System); // the scheduler's and experiment grains' clock
        services.AddHostedService<WorkerPoolService>();
        return services;
    }
}
