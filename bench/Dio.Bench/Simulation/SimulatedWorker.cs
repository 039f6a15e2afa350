using Dio.Emulator.Engine.Engine;

namespace Dio.Bench.Simulation;

/// <summary>One GPU of the simulated fleet: its engine and the time it spent stepping.</summary>
internal sealed class SimulatedWorker(string id, VllmEngine engine, double scrapePhaseSeconds)
{
    public string Id => id;

    public VllmEngine Engine => engine;

    public double ScrapePhaseSeconds => scrapePhaseSeconds;

    public double BusyUntil { get; set; }

    public double BusySeconds { get; set; }

    public long GenerationTokensAtLastScrape { get; set; }
}
