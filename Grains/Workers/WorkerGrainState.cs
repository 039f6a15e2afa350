namespace Dio.Grains.Workers;

/// <summary>What a worker grain persists (Orleans grain storage, name <c>dio</c>): its registration and everything its
/// predictors learned, so a silo restart or a move to another silo loses neither.</summary>
[GenerateSerializer, Alias("dio.worker-grain-state")]
public sealed class WorkerGrainState
{
    /// <summary>Null when not registered.</summary>
    [Id(0)] public WorkerRegistration? Registration { get; set; }

    [Id(1)] public RegistrationSource Source { get; set; }

    /// <summary>Null until the first completion was learned from.</summary>
    [Id(2)] public LearnedState? Learned { get; set; }
}
