using System.Globalization;
using Nuage.Core.Errors;

namespace Nuage.Server.Uploads;

/// <summary>
/// Bounds on uploads saved to disk and waiting for their deployment to run (each is deleted once its deployment
/// ends). Without them, a developer token could queue uploads of <c>--max-upload-bytes</c> each until the disk fills.
/// </summary>
public sealed record UploadLimits
{
    public const string MaxQueuedPerAppFlag = "--max-queued-uploads-per-app";
    public const string MaxQueuedBytesFlag = "--max-queued-upload-bytes";
    public const int DefaultMaxQueuedPerApp = 3;
    public const long DefaultMaxQueuedBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Uploads one app may have saved and not yet deployed (the running one included). Default 3.</summary>
    public int MaxQueuedPerApp { get; init; } = DefaultMaxQueuedPerApp;

    /// <summary>Bytes all saved, not yet deployed uploads may take together, over all apps. Default 2 GiB.</summary>
    public long MaxQueuedBytes { get; init; } = DefaultMaxQueuedBytes;

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (MaxQueuedPerApp <= 0)
        {
            errors.Add(new FieldError(MaxQueuedPerAppFlag, MaxQueuedPerApp.ToString(CultureInfo.InvariantCulture), $"must be a positive number of uploads (default {DefaultMaxQueuedPerApp})"));
        }

        if (MaxQueuedBytes <= 0)
        {
            errors.Add(new FieldError(MaxQueuedBytesFlag, MaxQueuedBytes.ToString(CultureInfo.InvariantCulture), $"must be a positive number of bytes (default {DefaultMaxQueuedBytes})"));
        }

        return errors;
    }
}
