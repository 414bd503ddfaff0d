using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Nuage.Build;
using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Deployments;
using Nuage.Core.Errors;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Server.Apps;
using Nuage.Server.Uploads;

namespace Nuage.Server.Deployments;

/// <summary>Deployments as users see them: start one (upload, redeploy, rollback), list, read, follow.</summary>
internal sealed partial class DeploymentService(
    IStateStore store,
    AppService apps,
    NuagePaths paths,
    BuildOptions buildOptions,
    DeploymentQueue queue,
    DeploymentRunner runner,
    DeploymentProgressHub hub,
    UploadBudget uploads,
    TimeProvider time)
{
    public const int MaxMessageLength = 2000;

    [GeneratedRegex("^[0-9a-f]{7,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommitPattern();

    /// <summary>Saves an uploaded tar (capped) and queues its deployment.</summary>
    public async Task<DeploymentDto> StartUploadAsync(
        Caller caller, string appName, Stream body, string? commit, string? message, DeploymentKind kind, bool cancelPrevious, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Deploying");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var errors = new List<FieldError>();
        if (commit is not null && !CommitPattern().IsMatch(commit))
        {
            errors.Add(new FieldError("commit", commit, "use a commit id: 7 to 64 lowercase hexadecimal characters"));
        }

        if (message is { Length: > MaxMessageLength })
        {
            errors.Add(new FieldError("message", message[..40] + "…", $"at most {MaxMessageLength} characters are accepted"));
        }

        if (kind is not (DeploymentKind.Upload or DeploymentKind.Push))
        {
            errors.Add(new FieldError("kind", kind.ToString().ToLowerInvariant(), "use upload or push"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidDeployment, errors);
        }

        var id = DeploymentIds.New(time);
        Directory.CreateDirectory(paths.Uploads);
        var uploadPath = paths.Upload(id);
        var reservation = uploads.Reserve(app.Id, app.Name);
        try
        {
            await SaveUploadAsync(body, uploadPath, reservation, cancellationToken);
            return await QueueAsync(app, new DeploymentRecord
            {
                Id = id,
                AppId = app.Id,
                Kind = kind,
                State = DeploymentState.Queued,
                CommitId = commit,
                CommitMessage = message?.Split('\n')[0],
                CreatedAt = time.GetUtcNow(),
            }, uploadPath, cancelPrevious, reservation);
        }
        catch
        {
            reservation.Dispose();
            throw;
        }
    }

    /// <summary>Deploys an already built release again: the current one (redeploy) or an earlier one (rollback).</summary>
    public async Task<DeploymentDto> ReuseAsync(Caller caller, string appName, string? sourceId, DeploymentKind kind, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, kind == DeploymentKind.Rollback ? "Rolling back" : "Redeploying");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var recent = await store.Deployments.ListAsync(app.Id, null, 200, cancellationToken);
        var source = sourceId is not null
            ? recent.FirstOrDefault(d => d.Id == sourceId)
                ?? throw NuageException.NotFound(ErrorCodes.DeploymentNotFound, $"App \"{app.Name}\" has no deployment \"{sourceId}\"; 'nuage activity' lists them.")
            : kind == DeploymentKind.Rollback
                ? PreviousRelease(app, recent)
                : recent.FirstOrDefault(d => d.Id == app.CurrentDeploymentId)
                    ?? throw NuageException.Conflict(ErrorCodes.NoRelease, $"App \"{app.Name}\" has no release yet; deploy one first with 'nuage deploy'.");
        var built = source.SourceDeploymentId is { } origin && !source.ReleaseBuilt ? recent.FirstOrDefault(d => d.Id == origin) ?? source : source;
        if (!built.ReleaseBuilt || !Directory.Exists(paths.Release(app.Id, ReleaseOwner(built))))
        {
            throw NuageException.Conflict(ErrorCodes.ReleaseUnavailable, $"The release of {source.Id} is not retained any more; deploy the commit again instead.");
        }

        return await QueueAsync(app, new DeploymentRecord
        {
            Id = DeploymentIds.New(time),
            AppId = app.Id,
            Kind = kind,
            State = DeploymentState.Queued,
            SourceDeploymentId = ReleaseOwner(built),
            CommitId = built.CommitId,
            CommitMessage = built.CommitMessage,
            CreatedAt = time.GetUtcNow(),
        }, null, cancelPrevious: false);
    }

    public async Task<Page<DeploymentDto>> ListAsync(Caller caller, string appName, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Listing deployments");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var size = limit ?? 20;
        if (size is < 1 or > 200)
        {
            throw NuageException.Invalid("limit", size.ToString(System.Globalization.CultureInfo.InvariantCulture), "use a whole number from 1 to 200");
        }

        var list = await store.Deployments.ListAsync(app.Id, cursor, size + 1, cancellationToken);
        var page = list.Take(size).Select(d => ToDto(app, d)).ToList();
        return new Page<DeploymentDto>(page, list.Count > size ? page[^1].Id : null);
    }

    public async Task<DeploymentDto> GetAsync(Caller caller, string appName, string id, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading deployments");
        var (app, record) = await FindAsync(caller, appName, id, cancellationToken);
        return ToDto(app, record);
    }

    /// <summary>The deployment's events after <paramref name="after"/>, live until it finishes.</summary>
    public async IAsyncEnumerable<DeploymentEventDto> EventsAsync(
        Caller caller, string appName, string id, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Following deployments");
        var (_, record) = await FindAsync(caller, appName, id, cancellationToken);
        if (hub.Find(id) is { } progress)
        {
            await foreach (var e in progress.ReadAsync(after, cancellationToken))
            {
                yield return e;
            }

            yield break;
        }

        // Not in memory (the server restarted since): replay what the record holds.
        foreach (var e in Replay(record).Where(e => e.Seq > after))
        {
            yield return e;
        }
    }

    /// <summary>
    /// At start: deployments a previous server process left unfinished are failed, with that reason, at the stage that
    /// was running (recorded as interrupted, with an event number above any the live stream used).
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        const string Interrupted = "interrupted: the server stopped during this deployment; the previous release kept serving";
        foreach (var record in await store.Deployments.ListUnfinishedAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            var stages = record.Stages.ToList();
            var running = stages.FindLastIndex(s => s.State == StageStates.Running);
            if (running >= 0)
            {
                stages[running] = stages[running] with
                {
                    State = StageStates.Failed, FinishedAt = now, Detail = "interrupted by a server restart", Seq = DeploymentEventDto.InterruptedStageSeq,
                };
            }

            await store.Deployments.UpdateAsync(
                record with
                {
                    State = DeploymentState.Failed,
                    FinishedAt = now,
                    FailedStage = running >= 0 ? stages[running].Name : stages.LastOrDefault()?.Name ?? DeploymentStages.Validate,
                    FailureReason = Interrupted,
                    Stages = stages,
                },
                cancellationToken);
        }
    }

    private async Task<DeploymentDto> QueueAsync(
        AppConfig app, DeploymentRecord record, string? uploadPath, bool cancelPrevious, UploadBudget.Reservation? reservation = null)
    {
        await store.Deployments.CreateAsync(record, CancellationToken.None);
        hub.Open(record.Id);
        queue.Enqueue(app.Id, record.Id, cancelPrevious, async ct =>
        {
            try
            {
                await runner.RunAsync(record.Id, uploadPath, ct); // deletes the upload when it ends
            }
            finally
            {
                reservation?.Dispose();
            }
        });
        return ToDto(app, record);
    }

    private async Task SaveUploadAsync(Stream body, string path, UploadBudget.Reservation reservation, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > buildOptions.MaxUploadBytes)
                {
                    throw new NuageException(
                        ErrorKind.TooLarge, ErrorCodes.ArchiveTooLarge, $"The upload is larger than the {buildOptions.MaxUploadBytes / (1024 * 1024)} MiB cap; remove build outputs and large assets from the repository.");
                }

                reservation.Add(read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private async Task<(AppConfig App, DeploymentRecord Record)> FindAsync(Caller caller, string appName, string id, CancellationToken cancellationToken)
    {
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var record = await store.Deployments.FindAsync(id, cancellationToken);
        return record is not null && record.AppId == app.Id
            ? (app, record)
            : throw NuageException.NotFound(ErrorCodes.DeploymentNotFound, $"App \"{app.Name}\" has no deployment \"{id}\"; 'nuage activity' lists them.");
    }

    private static DeploymentRecord PreviousRelease(AppConfig app, IReadOnlyList<DeploymentRecord> recent)
    {
        var currentRelease = recent.FirstOrDefault(d => d.Id == app.CurrentDeploymentId) is { } current ? ReleaseOwner(current) : null;
        return recent.FirstOrDefault(d => d.State == DeploymentState.Succeeded && d.ReleaseBuilt && ReleaseOwner(d) != currentRelease)
            ?? throw NuageException.Conflict(ErrorCodes.NoPreviousRelease, $"App \"{app.Name}\" has no earlier release to roll back to.");
    }

    /// <summary>The deployment whose directory holds the release (itself, or the one it reused).</summary>
    private static string ReleaseOwner(DeploymentRecord d) => d.SourceDeploymentId ?? d.Id;
}
