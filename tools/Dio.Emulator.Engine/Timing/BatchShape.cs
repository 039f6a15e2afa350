namespace Dio.Emulator.Engine.Timing;

/// <summary>
/// What one engine step computes, summed the way the roofline needs it: prefill chunks (tokens p_j on top of an
/// already-computed prefix c_j) and decode sequences (context k_i).
/// </summary>
public struct BatchShape
{
    /// <summary>Σ p_j.</summary>
    public double PrefillTokens { readonly get; private set; }

    /// <summary>Σ p_j·(c_j + p_j/2): causal attention work of the chunks.</summary>
    public double PrefillAttention { readonly get; private set; }

    /// <summary>Σ (c_j + p_j): KV tokens the chunks read and write.</summary>
    public double PrefillContext { readonly get; private set; }

    /// <summary>Chunks that sample a token at the end of this step (their prefill completes).</summary>
    public int PrefillsSampling { readonly get; private set; }

    public int PrefillRequests { readonly get; private set; }

    public int DecodeRequests { readonly get; private set; }

    /// <summary>Σ k_i.</summary>
    public double DecodeContext { readonly get; private set; }

    public readonly int Requests => PrefillRequests + DecodeRequests;

    public readonly bool IsEmpty => Requests == 0;

    public void AddPrefill(double tokens, double computedBefore, bool samples)
    {
        PrefillTokens += tokens;
        PrefillAttention += tokens * (computedBefore + (tokens / 2));
        PrefillContext += computedBefore + tokens;
        PrefillRequests++;
        if (samples)
        {
            PrefillsSampling++;
        }
    }

    public void AddDecode(double context)
    {
        DecodeContext += context;
        DecodeRequests++;
    }
}
