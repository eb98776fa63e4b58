using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Storage;
using PeftGrid.Client;
using PeftGrid.Dashboard;
using PeftGrid.Dashboard.Hosting;
using PeftGrid.Contracts.Grid;
using PeftGrid.Contracts.Trials;
using PeftGrid.Grains.Workers;
using StackExchange.Redis;

namespace PeftGrid.Silo.Hosting;

/// <summary>
/// Builds a PeftGrid silo host. Without <c>ConnectionStrings:Redis</c>: localhost clustering and in-memory storage
/// (an embedded single-process cluster). With it: Redis clustering and Redis grain storage, so silos on several
/// machines form one cluster and a restarted cluster resumes. Membership timing can be tuned through
/// <c>Orleans:ClusterMembership</c> (e.g. <c>Orleans__ClusterMembership__ProbeTimeout=00:00:01</c>). The Redis connection
/// string may also come from <c>PEFTGRID_REDIS</c> or a file named by <c>PEFTGRID_REDIS_FILE</c> (<see cref="ClusterSecrets"/>);
/// <c>PeftGrid:Tls</c> turns on mutual TLS (<see cref="ClusterTls"/>); the dashboard answers only
/// <see cref="DashboardSettings.AllowedHosts"/> (loopback names by default).
/// </summary>
public static class SiloHost
{
    /// <summary>Builds (does not start) the host.</summary>
    /// <param name="args">Command-line configuration (<c>--PeftGrid:SiloPort 11112</c>).</param>
    /// <param name="overrides">Configuration applied last (embedded clusters, tests).</param>
    /// <param name="runner">The trial runner; null = from <see cref="SiloSettings.Runner"/>.</param>
    /// <exception cref="ArgumentException">A setting is invalid, e.g. a non-loopback dashboard host without a token
    /// (<see cref="DashboardAccess.Resolve"/>), several devices for the torch runner
    /// (<see cref="RunnerFactory.CheckDevices"/>), both a Redis connection string and file at one level, or an unreadable certificate.</exception>
    /// <exception cref="FileNotFoundException">A configured secret or certificate file does not exist.</exception>
    public static IHost Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null, ITrialRunner? runner = null)
    {
        var config = new ConfigurationManager();
        config.AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().AddCommandLine(args);
        if (overrides is not null)
        {
            config.AddInMemoryCollection(overrides);
        }
        var settings = config.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings();
        var redis = ClusterSecrets.Redis(config.GetConnectionString("Redis"), null, key => config[key]);
        var tls = settings.Tls.CertificatePath is { Length: > 0 } pfx
            ? ClusterTls.Load(pfx, ClusterSecrets.Read(settings.Tls.CertificatePassword, settings.Tls.CertificatePasswordFile,
                "PeftGrid:Tls:CertificatePassword", "PeftGrid:Tls:CertificatePasswordFile"), settings.Tls.AuthorityPath)
            : null;
        runner ??= RunnerFactory.Create(settings);
        RunnerFactory.CheckDevices(settings.Workers, runner);
        if (settings.Dashboard.Enabled)
        {
            var web = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
            web.Configuration.AddConfiguration(config);
            // The start-up check (non-loopback without a token is refused), bind address, host filtering, the token.
            web.AddPeftGridDashboard(settings.Dashboard);
            Configure(web, settings, redis, tls, runner);
            var app = web.Build();
            app.MapOrleansDashboard();
            app.MapPeftGridDashboard(settings.Dashboard, new DashboardHostInfo
            {
                Kind = "silo", ClusterId = settings.ClusterId, ServiceId = settings.ServiceId,
                Silo = settings.SiloName ?? $"{Environment.MachineName}-{settings.SiloPort}",
                Clustering = redis is null ? "localhost clustering" : new ClusterConnection { Redis = redis }.Describe(),
            });
            app.MapSiloOperations(settings);
            return app;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], Configuration = config });
        Configure(builder, settings, redis, tls, runner);
        return builder.Build();
    }

    private static void Configure(IHostApplicationBuilder builder, SiloSettings settings, string? redis, ClusterTls? tls, ITrialRunner runner)
    {
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:ClusterMembership"));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
            silo.Configure<SiloOptions>(o => o.SiloName = settings.SiloName ?? $"{Environment.MachineName}-{settings.SiloPort}");
            if (redis is null)
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
                // Orleans' binary serializer, as for Redis: the default JSON one costs more CPU than the whole scheduling path.
                silo.AddMemoryGrainStorage(GrainKeys.Storage, ob => ob.Configure<IServiceProvider>((o, sp) =>
                    o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>())));
            }
            else
            {
                silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedIP), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
                silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(redis));
                silo.AddRedisGrainStorage(GrainKeys.Storage, ob => ob.Configure<IServiceProvider>((o, sp) =>
                {
                    o.ConfigurationOptions = RedisOptions(redis);
                    o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>());
                }));
            }
            if (tls is not null)
            {
                silo.UseTls(tls.Certificate, tls.Apply);
            }
            if (settings.KubernetesHosting)
            {
                silo.UseKubernetesHosting();
            }
            silo.AddActivityPropagation();
            if (settings.Dashboard.Enabled)
            {
                silo.AddDashboard();
            }
            silo.Services.AddPeftGridWorkers(settings.Workers, runner, RunnerFactory.AdmissionFor(runner));
        });
        builder.Services.AddPeftGridTelemetry($"peftgrid-silo-{settings.SiloPort}");
        builder.Services.AddPeftGridMembership(builder.Configuration, redis);
    }

    /// <summary>Redis options with bounded connect retries, so an unreachable Redis fails fast instead of hanging.</summary>
    public static ConfigurationOptions RedisOptions(string connectionString)
    {
        var o = ConfigurationOptions.Parse(connectionString);
        o.AbortOnConnectFail = true;
        o.ConnectTimeout = Math.Min(o.ConnectTimeout, 3000);
        o.ConnectRetry = Math.Min(o.ConnectRetry, 2);
        return o;
    }
}
