using System.Text.Json;
using Nuage.Core.Api;
using Nuage.Core.Paths;

namespace Nuage.Server.Network;

/// <summary>
/// This machine's BGP configuration, in <c>network/bgp.json</c> under the data directory. It is per machine on purpose:
/// peers are this machine's upstream routers and the prefixes are what this machine's router serves, so a shared state
/// store (several machines on one PostgreSQL) must not hand one machine's sessions to another.
/// </summary>
internal sealed class NetworkConfigStore(NuagePaths paths)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private string Folder => paths.Network;

    private string File => Path.Combine(Folder, "bgp.json");

    public NetworkConfigFile Load()
    {
        if (!System.IO.File.Exists(File))
        {
            return new NetworkConfigFile();
        }

        try
        {
            return JsonSerializer.Deserialize<NetworkConfigFile>(System.IO.File.ReadAllText(File), Json) ?? new NetworkConfigFile();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{File} is not valid JSON ({e.Message}); fix or remove it, then start the server again", e);
        }
    }

    /// <summary>Replaces the file whole (written aside, then renamed), readable by the server's user only.</summary>
    public void Save(NetworkConfigFile config)
    {
        Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = File + ".tmp";
        System.IO.File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            JsonSerializer.Serialize(stream, config, Json);
            stream.Flush(flushToDisk: true);
        }

        System.IO.File.Move(temporary, File, overwrite: true);
    }
}

/// <summary>What <c>network/bgp.json</c> holds: the requests as they were accepted (validated again when loaded).</summary>
internal sealed record NetworkConfigFile
{
    public List<BgpPeerDto> Peers { get; init; } = [];

    public List<BgpPrefixDto> Prefixes { get; init; } = [];

    public BgpRpkiDto? Rpki { get; init; }

    public BgpIrrDto? Irr { get; init; }
}
