namespace Dio.Grains.Workers;

/// <summary>
/// Judges a worker's health from two kinds of evidence: telemetry polls and failures the frontends saw on real
/// traffic. Unhealthy after <see cref="HealthRules.FailedPollsToUnhealthy"/> failed polls in a row, after
/// <see cref="HealthRules.TransportFailuresToUnhealthy"/> transport failures, or after one of each (two independent
/// witnesses); healthy again at the first good reading taken after the last transport failure (an older reading is
/// no evidence against it). Not thread-safe: its worker grain runs one turn at a time.
/// </summary>
internal sealed class WorkerHealth(HealthRules rules)
{
    private int _failedPolls;
    private int _transportFailures;
    private DateTimeOffset _lastTransportFailure = DateTimeOffset.MinValue;

    public bool Healthy { get; private set; } = true;

    /// <summary>A reading arrived (polled or piggybacked); true when the verdict changed.</summary>
    public bool OnReading(DateTimeOffset takenAt)
    {
        if (takenAt < _lastTransportFailure)
        {
            return false;   // read before the failure we saw: it says nothing about now
        }

        _failedPolls = 0;
        _transportFailures = 0;
        return Set(true);
    }

    /// <summary>A poll failed; true when the verdict changed.</summary>
    public bool OnPollFailed()
    {
        _failedPolls++;
        return Evaluate();
    }

    /// <summary>A frontend's request failed at the transport; true when the verdict changed.</summary>
    public bool OnTransportFailure(DateTimeOffset at)
    {
        _lastTransportFailure = at;
        _transportFailures++;
        return Evaluate();
    }

    private bool Evaluate() =>
        (_failedPolls >= rules.FailedPollsToUnhealthy || _transportFailures >= rules.TransportFailuresToUnhealthy
            || (_failedPolls >= 1 && _transportFailures >= 1)) && Set(false);

    private bool Set(bool healthy)
    {
        var changed = Healthy != healthy;
        Healthy = healthy;
        return changed;
    }
}

/// <summary>How much evidence makes a worker unhealthy.</summary>
/// <param name="FailedPollsToUnhealthy">Consecutive failed polls.</param>
/// <param name="TransportFailuresToUnhealthy">Transport failures on real traffic (1 together with a failed poll).</param>
internal readonly record struct HealthRules(int FailedPollsToUnhealthy, int TransportFailuresToUnhealthy)
{
    /// <summary>3 failed polls, or 2 transport failures (the defaults of <c>Workers:*</c>).</summary>
    public static HealthRules Default { get; } = new(3, 2);
}
