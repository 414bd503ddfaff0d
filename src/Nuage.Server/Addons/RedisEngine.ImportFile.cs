using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Nuage.Core.Addons;
using Nuage.Core.Api;

namespace Nuage.Server.Addons;

/// <summary>
/// Import from an RDB file: a throw-away redis-server loads it (as nobody when the server is root: the file is the
/// tenant's and Redis parses it; listening on loopback with a random password, saving nothing), and that server is the
/// source of the ordinary key-by-key import (TTLs kept, every touched key put back on a failure). Database 0 of the
/// file is imported, like a live source's default.
/// </summary>
internal sealed partial class RedisEngine
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(10);

    public override async Task<IReadOnlyList<AddonImportTableDto>> ImportFileAsync(AddonFileImportJob job, CancellationToken cancellationToken)
    {
        // redis-server opens "source.rdb" relative to its working directory (its own, nobody's), so the root-only scratch
        // folder above it needs no opening up.
        var folder = Path.Combine(job.ScratchDirectory, "redis");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Move(job.File, Path.Combine(folder, "source.rdb"));
        if (Unprivileged.IsRoot)
        {
            File.SetUnixFileMode(Path.Combine(folder, "source.rdb"), UnixFileMode.UserRead);
            var nobody = Text(Unprivileged.Nobody);
            await AddonTool.RunAsync("/bin/chown", ["--no-dereference", $"{nobody}:{nobody}", folder, Path.Combine(folder, "source.rdb")], new Dictionary<string, string>(), null, null, cancellationToken);
        }

        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var port = FreePort();
        var (program, args) = Unprivileged.Command("/usr/bin/redis-server", "-");
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var server = Process.Start(start)!;
        var output = server.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = server.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            // The configuration (password included) goes on stdin, never on a command line.
            await server.StandardInput.WriteAsync($"bind 127.0.0.1\nport {Text(port)}\nrequirepass {password}\ndir .\ndbfilename source.rdb\nappendonly no\nsave \"\"\nlogfile \"\"\ndaemonize no\n".AsMemory(), cancellationToken);
            server.StandardInput.Close();
            job.Progress("loading the RDB file into a temporary Redis");
            await WaitLoadedAsync(job, server, port, password, output, cancellationToken);
            var source = AddonSourceUrl.Parse(AddonImportErrors.Field, $"redis://:{password}@127.0.0.1:{Text(port)}/0");
            var expected = await CountSourceAsync(source, cancellationToken);
            var tables = await ImportAsync(new AddonImportJob(job.Addon, job.Host, job.Port, job.Password, source, job.ScratchDirectory, job.Progress), expected, cancellationToken);
            return [.. tables.Select(t => t with { Name = "keys (db 0 of the file)" })];
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            await server.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(output, errors);
        }
    }

    /// <summary>Until the temporary server answers PING (it refuses with LOADING while it reads the file); a server that exits could not read it.</summary>
    private static async Task WaitLoadedAsync(AddonFileImportJob job, Process server, int port, string password, Task<string> output, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited)
            {
                var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var reason = lines.LastOrDefault(l => l.Contains('#', StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "it exited";
                throw AddonImportErrors.File(job, $"Redis 7.0 cannot load it as an RDB file ({reason[(reason.IndexOf('#', StringComparison.Ordinal) + 1)..].Trim()})");
            }

            try
            {
                await using var wire = await RedisWire.ConnectAsync("127.0.0.1", port, string.Empty, password, 0, cancellationToken);
                await wire.CallAsync(["PING"], cancellationToken);
                return;
            }
            catch (Exception e) when (e is SocketException or IOException or RedisReplyException && deadline.Elapsed < LoadTimeout)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
