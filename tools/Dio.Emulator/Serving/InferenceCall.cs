using System.Threading.Channels;
using Dio.Emulator.Engine.Engine;

namespace Dio.Emulator.Serving;

/// <summary>One request in flight: the engine's view of it and the channel its tokens arrive on (token index).</summary>
public sealed class InferenceCall(EngineRequest request)
{
    public EngineRequest Request { get; } = request;

    public Channel<int> Tokens { get; } = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Set when the client went away: the driver aborts it at the next step boundary.</summary>
    public bool Cancelled { get; set; }
}
