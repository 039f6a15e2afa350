using Dio.Emulator.Serving;

namespace Dio.Emulator.Api;

/// <summary>What an injected fault does to a request before the engine sees it.</summary>
internal static class FaultGate
{
    /// <summary>True when the fault answered (or dropped, or is holding) the request.</summary>
    public static async Task<bool> BlockAsync(EmulatedServer server, HttpContext context)
    {
        switch (server.Fault)
        {
            case FaultMode.Crash:
                context.Abort();
                return true;
            case FaultMode.Hang:
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                return true;
            case FaultMode.Error500:
                await VllmErrors.EngineDead().ExecuteAsync(context);
                return true;
            default:
                return false;
        }
    }
}
