using Nuage.Core.Errors;

namespace Nuage.Build;

/// <summary>Host settings of the build library. Every default lives here.</summary>
public sealed record BuildOptions
{
    public const long DefaultMaxUploadBytes = 200L * 1024 * 1024;
    public const long DefaultMaxExpandedBytes = 1024L * 1024 * 1024;
    public const int DefaultMaxFiles = 50_000;

    /// <summary>The <c>nuage server</c> flags that set these options (messages name them, docs/operations.md lists them).</summary>
    public const string MaxUploadBytesFlag = "--max-upload-bytes";
    public const string MaxExpandedBytesFlag = "--max-expanded-bytes";
    public const string MaxFilesFlag = "--max-upload-files";

    /// <summary>Largest accepted upload, as received (compressed). Default 200 MiB.</summary>
    public long MaxUploadBytes { get; init; } = DefaultMaxUploadBytes;

    /// <summary>Largest total size of the files in an upload once extracted. Default 1 GiB.</summary>
    public long MaxExpandedBytes { get; init; } = DefaultMaxExpandedBytes;

    /// <summary>Most entries (files, directories, links) an upload may hold. Default 50 000.</summary>
    public int MaxFiles { get; init; } = DefaultMaxFiles;

    /// <summary>
    /// How long to wait for a step's output to end after its process exited and its process group was killed.
    /// Default 5 s.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>One error per bad option, naming its flag, the value and the fix.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (MaxUploadBytes <= 0)
        {
            errors.Add(new FieldError(MaxUploadBytesFlag, MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be a positive number of bytes (default 209715200 = 200 MiB)"));
        }

        if (MaxExpandedBytes <= 0)
        {
            errors.Add(new FieldError(MaxExpandedBytesFlag, MaxExpandedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be a positive number of bytes (default 1073741824 = 1 GiB)"));
        }

        if (MaxFiles <= 0)
        {
            errors.Add(new FieldError(MaxFilesFlag, MaxFiles.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be a positive number of entries (default 50000)"));
        }

        if (OutputDrainTimeout <= TimeSpan.Zero)
        {
            errors.Add(new FieldError(nameof(OutputDrainTimeout), OutputDrainTimeout.ToString(), "must be a positive duration (default 00:00:05)"));
        }

        return errors;
    }
}
