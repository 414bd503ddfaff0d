using System.Collections.Concurrent;
using System.Diagnostics;
using Nuage.Runtime.Networking;

namespace Nuage.FunctionalTests.Infrastructure;

/// <summary>
/// Each server has a firewall table of its own, named after its run directory, that outlives it by design (its
/// instances keep their isolation). Tests start, stop and kill servers in many ways; the tables a server in any of this
/// process's temp directories made go when the test process ends, so a machine running the suite again does not
/// evaluate every earlier run's rules for each packet.
/// </summary>
public static class FirewallTables
{
    private static readonly ConcurrentDictionary<string, byte> s_names = new(StringComparer.Ordinal);

    static FirewallTables() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteExisting();

    /// <summary>Remembers the tables of a server whose data directory is <paramref name="directory"/> or its <c>data</c> folder.</summary>
    public static void Track(string directory)
    {
        s_names.TryAdd(InstanceNetworks.TableFor(Path.Combine(directory, "run")), 0);
        s_names.TryAdd(InstanceNetworks.TableFor(Path.Combine(directory, "data", "run")), 0);
    }

    /// <summary>One <c>nft list tables</c>, then one batch deleting those of ours that exist (most servers ran without isolation).</summary>
    private static void DeleteExisting()
    {
        var existing = Run(["list", "tables"], input: null)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ') is ["table", "inet", var name] ? name : null);
        var batch = string.Concat(existing.Where(name => name is not null && s_names.ContainsKey(name)).Select(name => $"delete table inet {name}\n"));
        if (batch.Length > 0)
        {
            Run(["-f", "-"], batch);
        }
    }

    private static string Run(string[] arguments, string? input)
    {
        try
        {
            using var nft = Process.Start(new ProcessStartInfo("nft", arguments)
            {
                RedirectStandardInput = input is not null,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            if (input is not null)
            {
                nft.StandardInput.Write(input);
                nft.StandardInput.Close();
            }

            var output = nft.StandardOutput.ReadToEnd();
            nft.WaitForExit(5000);
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return string.Empty; // no nft on this machine: no server made a table either
        }
    }
}
