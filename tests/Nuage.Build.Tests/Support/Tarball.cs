using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Nuage.Build.Tests.Support;

/// <summary>Builds tar archives in memory, including hostile ones that real tools would refuse to create.</summary>
public sealed class Tarball
{
    private readonly List<PaxTarEntry> _entries = [];
    private readonly Dictionary<string, string>? _global;

    public Tarball(Dictionary<string, string>? globalAttributes = null)
    {
        _global = globalAttributes;
    }

    public Tarball File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = mode });
        return this;
    }

    public Tarball Directory(string name)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });
        return this;
    }

    public Tarball Symlink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    public Tarball HardLink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });
        return this;
    }

    public Tarball Special(TarEntryType type, string name)
    {
        _entries.Add(new PaxTarEntry(type, name));
        return this;
    }

    public byte[] ToBytes(bool gzip = false)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (_global is not null)
            {
                writer.WriteEntry(new PaxGlobalExtendedAttributesTarEntry(_global));
            }

            foreach (var entry in _entries)
            {
                writer.WriteEntry(entry);
            }
        }

        if (!gzip)
        {
            return tar.ToArray();
        }

        var compressed = new MemoryStream();
        using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(tar.ToArray());
        }

        return compressed.ToArray();
    }

    public MemoryStream ToStream(bool gzip = false) => new(ToBytes(gzip));
}
