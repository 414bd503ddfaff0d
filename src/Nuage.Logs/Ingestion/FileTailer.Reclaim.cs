using Microsoft.Extensions.Logging;

namespace Nuage.Logs.Ingestion;

/// <summary>
/// Keeps instance output files from growing without bound. Only bytes below the committed offset are touched, and
/// only after the store has synced them to disk, so a crash or a power cut never needs them again: the tailer
/// resumes at the saved offset, which lies past the hole.
/// </summary>
internal sealed partial class FileTailer
{
    /// <summary>Block size the punched prefix is rounded down to (a partial block frees nothing).</summary>
    private const long Block = 4096;

    private bool _cannotPunch;

    /// <summary>Punches the ingested prefix once enough has been stored since the last punch.</summary>
    private async Task CompactAsync(FileStream file)
    {
        var upTo = _committed & ~(Block - 1);
        if (_reclaim is null || _cannotPunch || upTo - _punched < _reclaim.CompactBytes)
        {
            return;
        }

        if (!await _app.MakeDurableAsync())
        {
            return;
        }

        if (OutputFile.PunchPrefix(file, upTo))
        {
            _punched = upTo;
            LogCompacted(_logger, _path, upTo);
        }
        else
        {
            _cannotPunch = true;
            LogCannotPunch(_logger, _path);
        }
    }

    /// <summary>After the final read of a stopped instance: removes the file when every byte of it is stored and synced.</summary>
    private async Task RemoveIfIngestedAsync(FileStream file)
    {
        if (_reclaim is null || _buffered != 0 || _committed != _offset || _offset != file.Length)
        {
            return;
        }

        if (!await _app.MakeDurableAsync())
        {
            return;
        }

        File.Delete(_path);
        await _app.ForgetTailerAsync(_key);
        LogRemoved(_logger, _path, _offset);
    }

    [LoggerMessage(EventId = 6103, Level = LogLevel.Debug, Message = "Freed the first {Bytes} bytes of {Path} (stored and synced)")]
    private static partial void LogCompacted(ILogger logger, string path, long bytes);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "The filesystem of {Path} cannot punch holes; its ingested content is kept until the instance is retired")]
    private static partial void LogCannotPunch(ILogger logger, string path);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Debug, Message = "Removed {Path} of a stopped instance: all {Bytes} bytes are stored")]
    private static partial void LogRemoved(ILogger logger, string path, long bytes);
}
