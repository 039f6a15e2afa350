namespace Dio.Emulator.Serving;

/// <summary>Injected failures (POST /fault from loopback), the ways a real vLLM server fails a router.</summary>
public enum FaultMode
{
    None = 0,

    /// <summary>Engine dead: every connection is dropped at once, in-flight streams included.</summary>
    Crash = 1,

    /// <summary>Accepts requests and never answers.</summary>
    Hang = 2,

    /// <summary>Every step takes <c>factor</c> times longer (thermal throttling, a noisy neighbour).</summary>
    Slow = 3,

    /// <summary>Streams drop the connection after their second token; non-streaming calls drop before answering.</summary>
    DropMidStream = 4,

    /// <summary>Inference calls answer 500 with vLLM's error JSON (EngineDeadError).</summary>
    Error500 = 5,
}
