using Dio.Emulator.Engine.Engine;
using Dio.Grains.Workers;

namespace Dio.Bench.Simulation;

/// <summary>One GPU of the simulated fleet: its engine, its worker grain and the time it spent stepping.</summary>
internal sealed class SimulatedWorker(string id, VllmEngine engine, WorkerGrain grain, double scrapePhaseSeconds)
{
    public string Id => id;

    public VllmEngine Engine => engine;

    public WorkerGrain Grain => grain;

    public double ScrapePhaseSeconds => scrapePhaseSeconds;

    public double BusyUntil { get; set; }

    public double BusySeconds { get; set; }

    public long GenerationTokensAtLastScrape { get; set; }
}
