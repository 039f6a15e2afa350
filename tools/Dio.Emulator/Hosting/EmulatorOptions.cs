using Dio.Emulator.Engine.Hardware;

namespace Dio.Emulator.Hosting;

/// <summary>
/// What to emulate. Command line: <c>--fleet 1xA100-80GB,2xL4,1xT4 --port 8100 --time-scale 10</c> (or
/// <c>--gpu L4</c> for one server); each server listens on the next port.
/// </summary>
public sealed record EmulatorOptions
{
    /// <summary>GPUs, one server each (fleet spec or a single GPU name). Default: one A100-80GB.</summary>
    public string Fleet { get; init; } = "A100-80GB";

    /// <summary>Port of the first server; the others follow. 0 picks free ports (tests).</summary>
    public int Port { get; init; } = 8100;

    /// <summary>Address to bind. Default: loopback only.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Model name served (also decides nothing else: the engine model is Llama-3-8B-class).</summary>
    public string Model { get; init; } = ModelSpec.Llama3With8B.Name;

    /// <summary>vLLM's max_model_len; capped at each GPU's KV capacity, as vLLM refuses more.</summary>
    public int MaxModelLen { get; init; } = 8192;

    /// <summary>Run N times faster than real time (engine time = wall time × N).</summary>
    public double TimeScale { get; init; } = 1;

    public int Seed { get; init; } = 1;

    public bool PrefixCaching { get; init; }

    /// <summary>Reads <c>--fleet/--gpu --port --host --model --max-model-len --time-scale --seed --prefix-caching</c>.</summary>
    public static EmulatorOptions Parse(string[] args)
    {
        var options = new EmulatorOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--fleet" or "--gpu" => options with { Fleet = Next() },
                "--port" => options with { Port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--host" => options with { Host = Next() },
                "--model" => options with { Model = Next() },
                "--max-model-len" => options with { MaxModelLen = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--time-scale" => options with { TimeScale = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--prefix-caching" => options with { PrefixCaching = true },
                _ => options,   // ASP.NET Core's own switches (--urls, --environment …) pass through
            };
        }

        return options.TimeScale > 0 ? options : throw new ArgumentException("--time-scale must be positive");
    }
}
