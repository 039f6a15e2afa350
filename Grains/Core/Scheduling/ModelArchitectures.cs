using System.Collections.Frozen;

namespace Dio.Grains.Scheduling;

/// <summary>Known architectures, from the models' Hugging Face configs (ALGORITHMS.md §2.5, §4.1).</summary>
public static class ModelArchitectures
{
    public static readonly ModelArchitecture Llama3With8B = new("Llama-3-8B", Layers: 32, KvHeads: 8, HeadDim: 128);
    public static readonly ModelArchitecture Llama3With70B = new("Llama-3-70B", Layers: 80, KvHeads: 8, HeadDim: 128);
    public static readonly ModelArchitecture Llama2With7B = new("Llama-2-7B", Layers: 32, KvHeads: 32, HeadDim: 128);
    public static readonly ModelArchitecture Mistral7B = new("Mistral-7B", Layers: 32, KvHeads: 8, HeadDim: 128);
    public static readonly ModelArchitecture Qwen25With7B = new("Qwen2.5-7B", Layers: 28, KvHeads: 4, HeadDim: 128);

    private static readonly FrozenDictionary<string, ModelArchitecture> ByKey = new Dictionary<string, ModelArchitecture>
    {
        ["llama-3-8b"] = Llama3With8B,
        ["llama-3.1-8b"] = Llama3With8B,
        ["llama-3-70b"] = Llama3With70B,
        ["llama-3.1-70b"] = Llama3With70B,
        ["llama-2-7b"] = Llama2With7B,
        ["mistral-7b"] = Mistral7B,
        ["qwen2.5-7b"] = Qwen25With7B,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Finds the architecture whose key the served model name contains (<c>meta-llama/Meta-Llama-3-8B-Instruct</c>
    /// matches <c>llama-3-8b</c>); an entry in <paramref name="overrides"/> wins. Null when unknown.
    /// </summary>
    public static ModelArchitecture? Find(string model, IReadOnlyDictionary<string, ModelArchitecture>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (overrides is not null && overrides.TryGetValue(model, out var overridden))
        {
            return overridden;
        }

        ModelArchitecture? best = null;
        var bestLength = 0;
        foreach (var (key, architecture) in ByKey)
        {
            // The longest key wins, so "llama-3.1-70b" is not taken for "llama-3-8b"-like prefixes.
            if (key.Length > bestLength && model.Contains(key, StringComparison.OrdinalIgnoreCase))
            {
                best = architecture;
                bestLength = key.Length;
            }
        }

        return best;
    }
}
