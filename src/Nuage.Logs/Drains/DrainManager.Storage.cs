using Nuage.Core.State;

namespace Nuage.Logs.Drains;

/// <summary>Storage side of <see cref="DrainManager"/>: definitions from the state store joined with cursors from the log store.</summary>
public sealed partial class DrainManager
{
    private async Task<List<(DrainConfig Drain, DrainProgress Progress)>> LoadAsync(string? appId, CancellationToken ct)
    {
        var cursors = _cursors.Load();
        var result = new List<(DrainConfig, DrainProgress)>();
        foreach (var record in await _definitions.ListAsync(appId, ct))
        {
            var drain = FromRecord(record);

            // No cursor: the log store is new (or was lost), so the drain delivers whatever the store holds.
            var progress = cursors.GetValueOrDefault(drain.Id) ?? Restart(drain.Id);
            result.Add((drain, progress));
        }

        return result;
    }

    private DrainProgress Restart(string drainId)
    {
        var progress = new DrainProgress(drainId, 0, 0, 0, 0, null, null, null);
        _cursors.Add(progress);
        return progress;
    }

    private DrainRecord ToRecord(DrainConfig d) => new()
    {
        Id = d.Id,
        AppId = d.AppId,
        AppName = d.AppName,
        Type = d.Type,
        Url = d.Url,
        Username = d.Username,
        SealedPassword = d.Password is null ? null : _secrets.Protect(d.Password, $"drain:{d.Id}:password"),
        SealedToken = d.Token is null ? null : _secrets.Protect(d.Token, $"drain:{d.Id}:token"),
        SdParams = d.SdParams,
        Enabled = d.Enabled,
        CreatedAt = d.CreatedAt,
    };

    private DrainConfig FromRecord(DrainRecord r) => new()
    {
        Id = r.Id,
        AppId = r.AppId,
        AppName = r.AppName,
        Type = r.Type,
        Url = r.Url,
        Username = r.Username,
        Password = r.SealedPassword is null ? null : _secrets.Unprotect(r.SealedPassword, $"drain:{r.Id}:password"),
        Token = r.SealedToken is null ? null : _secrets.Unprotect(r.SealedToken, $"drain:{r.Id}:token"),
        SdParams = r.SdParams,
        Enabled = r.Enabled,
        CreatedAt = r.CreatedAt,
    };
}
