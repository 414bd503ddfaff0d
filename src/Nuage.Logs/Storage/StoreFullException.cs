namespace Nuage.Logs.Storage;

/// <summary>
/// A write was refused because the disk holding the log store is full. Tailers retry quietly from their saved
/// offset (nothing is lost while the lines are still in the instance files); the store logs the transition once.
/// </summary>
public sealed class StoreFullException(string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>SQLITE_FULL: "insertion failed because database is full" (also ENOSPC while writing the WAL).</summary>
    public const int SqliteFull = 13;

    /// <summary>True for SQLite's "database or disk is full" and the kernel's ENOSPC/EDQUOT.</summary>
    public static bool IsDiskFull(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StoreFullException
                || (e is Microsoft.Data.Sqlite.SqliteException sqlite && sqlite.SqliteErrorCode == SqliteFull)
                || (e is IOException io && io.HResult is DiskErrno.NoSpace or DiskErrno.QuotaExceeded))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Linux errno values that .NET puts in <see cref="Exception.HResult"/> of an IOException on Unix.</summary>
public static class DiskErrno
{
    public const int NoSpace = 28;
    public const int QuotaExceeded = 122;
}
