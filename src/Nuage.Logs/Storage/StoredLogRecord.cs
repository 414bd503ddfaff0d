using Nuage.Core.Logging;

namespace Nuage.Logs.Storage;

/// <summary>A record as kept in the store: its per-app sequence number (the cursor position) and the line.</summary>
public sealed record StoredLogRecord(long Sequence, LogRecord Record);
