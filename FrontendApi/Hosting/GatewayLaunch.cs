namespace Dio.FrontendApi.Hosting;

/// <summary>How the gateway was started: <c>--demo [--fleet SPEC] [--time-scale N]</c> and/or <c>--worker URL</c> (repeatable).</summary>
public sealed record GatewayLaunch(bool Demo, IReadOnlyList<Uri> Workers, string Fleet, double TimeScale, string[] HostArgs)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static GatewayLaunch Parse(string[] args)
    {
        var demo = false;
        var workers = new List<Uri>();
        var fleet = Dio.FrontendApi.Demo.DemoFleet.DefaultFleet;
        var timeScale = 1.0;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--demo":
                    demo = true;
                    break;
                case "--worker" when i + 1 < args.Length:
                    workers.Add(Uri.TryCreate(args[++i], UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                        ? url
                        : throw new ArgumentException($"--worker needs an absolute http(s) URL, got '{args[i]}'"));
                    break;
                case "--fleet" when i + 1 < args.Length:
                    fleet = args[++i];
                    break;
                case "--time-scale" when i + 1 < args.Length:
                    timeScale = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        return new GatewayLaunch(demo, workers, fleet, timeScale, [.. rest]);
    }
}
