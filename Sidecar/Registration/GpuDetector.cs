using System.Diagnostics;

namespace Dio.Sidecar.Registration;

/// <summary>The GPU's name from <c>nvidia-smi</c> when it is there; the configured name otherwise.</summary>
internal static class GpuDetector
{
    public static string Detect(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=name,memory.total --format=csv,noheader")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null || !process.WaitForExit(5000))
            {
                return "unknown";
            }

            var line = process.StandardOutput.ReadLine();
            return process.ExitCode == 0 && !string.IsNullOrWhiteSpace(line) ? line.Split(',')[0].Trim() : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";   // no nvidia-smi on this machine
        }
    }
}
