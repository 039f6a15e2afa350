using Dio.Grains.Fleet;
using Dio.Grains.Observability;
using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dio.Grains.Hosting;

/// <summary>Adds DIO's grains to a silo (clustering and storage are the host's choice).</summary>
public static class DioGrainsSiloBuilderExtensions
{
    /// <summary>Validated <see cref="SchedulerOptions"/> and <see cref="WorkerGrainOptions"/>, the telemetry HTTP client, the
    /// grains' instruments (meters <c>Dio.Workers</c> and <c>Dio.Router</c>), and the <see cref="FleetKeeper"/> that keeps
    /// every registered worker grain active.</summary>
    public static ISiloBuilder AddDioGrains(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName).ValidateOnStart()
            .Validate(o => o.MemorySoftLimit < o.MemoryHardLimit, "Scheduler:MemorySoftLimit must be below Scheduler:MemoryHardLimit.")
            .Validate(o => (o.PrefixIndexEntries & (o.PrefixIndexEntries - 1)) == 0, "Scheduler:PrefixIndexEntries must be a power of two.")
            .Validate(o => RoutingPolicyFactory.IsKnown(o.Policy),
                $"Scheduler:Policy must be one of: {string.Join(", ", RoutingPolicyNames.All)}.");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());
        services.AddOptions<WorkerGrainOptions>().BindConfiguration(WorkerGrainOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(TelemetryReader.ClientName);
        services.AddMetrics();
        services.TryAddSingleton<WorkerInstruments>();
        services.TryAddSingleton<RouterInstruments>();
        services.AddHostedService<FleetKeeper>();
        return silo;
    }
}
