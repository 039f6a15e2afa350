using System.Globalization;
using Dio.Emulator.Engine.Hardware;

namespace Dio.FrontendApi.Hosting;

/// <summary>How the gateway was started: <c>--demo [--fleet SPEC] [--time-scale N]</c> and/or <c>--worker URL</c> (repeatable).</summary>
public sealed record GatewayLaunch(bool Demo, IReadOnlyList<Uri> Workers, string Fleet, double TimeScale, string[] HostArgs)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Fastest emulated time the demo accepts: beyond it the emulator's steps are shorter than its timers.</summary>
    public const double MaxTimeScale = 10_000;

    public const string Usage =
        "usage: Dio.FrontendApi [--demo [--fleet SPEC] [--time-scale N]] [--worker URL]... [--urls URL] [ASP.NET Core switches]";

    /// <summary>Reads the gateway's own switches and passes the rest to ASP.NET Core; a bad value is a <see cref="LaunchException"/>.</summary>
    public static GatewayLaunch Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var demo = false;
        var workers = new List<Uri>();
        string? fleet = null;
        double? timeScale = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new LaunchException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--demo":
                    demo = true;
                    break;
                case "--worker":
                    var worker = Value();
                    workers.Add(Uri.TryCreate(worker, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                        ? url
                        : throw new LaunchException($"--worker needs an absolute http(s) URL, got '{worker}'"));
                    break;
                case "--fleet":
                    fleet = Value();
                    try
                    {
                        FleetSpec.Parse(fleet);
                    }
                    catch (FormatException e)
                    {
                        throw new LaunchException($"--fleet '{fleet}': {e.Message}");
                    }

                    break;
                case "--time-scale":
                    var scale = Value();
                    timeScale = double.TryParse(scale, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                        && double.IsFinite(parsed) && parsed > 0 && parsed <= MaxTimeScale
                        ? parsed
                        : throw new LaunchException($"--time-scale must be a number above 0 and at most {MaxTimeScale:0}, got '{scale}'");
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (!demo && (fleet is not null || timeScale is not null))
        {
            throw new LaunchException("--fleet and --time-scale describe the emulated fleet of --demo; add --demo");
        }

        return new GatewayLaunch(demo, workers, fleet ?? Dio.FrontendApi.Demo.DemoFleet.DefaultFleet, timeScale ?? 1, [.. rest]);
    }
}

/// <summary>A command-line value the gateway cannot use: one line for the user, exit code 2.</summary>
public sealed class LaunchException : Exception
{
    public LaunchException()
    {
    }

    public LaunchException(string message)
        : base(message)
    {
    }

    public LaunchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
