namespace Dio.Emulator.Engine.Engine;

/// <summary>Receives what a completed step produced; called synchronously from <see cref="VllmEngine.CompleteStep"/>.</summary>
public interface IEngineObserver
{
    /// <summary>A token was sampled for <paramref name="request"/> (its first when Generated == 1).</summary>
    void OnToken(EngineRequest request, double nowSeconds);

    /// <summary>The request generated its last token and left the engine.</summary>
    void OnFinished(EngineRequest request, double nowSeconds);
}
