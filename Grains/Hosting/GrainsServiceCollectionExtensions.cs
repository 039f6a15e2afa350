using Dio.Grains.Routing;
using Dio.Grains.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dio.Grains.Hosting;

/// <summary>Registers DIO's grains in a host.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>Adds the grain directory (<see cref="IGrainDirectory"/>) and validated <see cref="SchedulerOptions"/>.</summary>
    public static IServiceCollection AddDioGrains(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName).ValidateOnStart()
            .Validate(o => o.MemorySoftLimit < o.MemoryHardLimit, "Scheduler:MemorySoftLimit must be below Scheduler:MemoryHardLimit.")
            .Validate(o => (o.PrefixIndexEntries & (o.PrefixIndexEntries - 1)) == 0, "Scheduler:PrefixIndexEntries must be a power of two.")
            .Validate(o => Policies.RoutingPolicyFactory.IsKnown(o.Policy),
                $"Scheduler:Policy must be one of: {string.Join(", ", Policies.RoutingPolicyNames.All)}.");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGrainDirectory>(sp => new GrainDirectory(
            sp.GetRequiredService<IOptions<SchedulerOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
