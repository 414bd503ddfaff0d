using System.Diagnostics;
using System.Net;

namespace Nuage.Tests.Shared;

/// <summary>What every daemon a test starts (BIRD, GoBGP, FRR, stayrtr) needs: a free port, its CLI's answer, a clean stop.</summary>
internal static class DaemonTools
{
    public static int FreePort(IPAddress address)
    {
        using var listener = new System.Net.Sockets.TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a control command (birdc, gobgp, vtysh) and returns what it printed, standard output then error.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }

    /// <summary>Kills the daemon (and anything it started), then deletes its scratch directory.</summary>
    public static async Task StopAsync(Process process, string directory)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
