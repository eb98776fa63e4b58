using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PeftGrid.Grains.Telemetry;

namespace PeftGrid.Silo.Hosting;

/// <summary>OpenTelemetry wiring: PeftGrid's and Orleans's spans and metrics; OTLP export only when configured.</summary>
public static class Telemetry
{
    /// <summary>Adds tracing and metrics; exports via OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public static IServiceCollection AddPeftGridTelemetry(this IServiceCollection services, string serviceName)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t.AddSource(PeftGridTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"))
            .WithMetrics(m => m.AddMeter(PeftGridTelemetry.Name, "Microsoft.Orleans"));
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            otel.UseOtlpExporter();
        }
        return services;
    }
}
