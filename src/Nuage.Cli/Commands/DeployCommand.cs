using System.CommandLine;
using Nuage.Cli.Client;
using Nuage.Cli.Deploy;
using Nuage.Cli.Git;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;
using Nuage.Core.Deployments;
using Nuage.Core.Variables;

namespace Nuage.Cli.Commands;

/// <summary>
/// <c>nuage deploy</c>: packs a commit of the git work tree (with submodules), streams it to the API, and follows the
/// deployment to its end. Exit 0 once the new release serves, 1 when it failed, 2 outside a git work tree.
/// </summary>
internal static class DeployCommand
{
    public const string DefaultRevision = "HEAD";

    public static Command Create(CliContext context)
    {
        var app = CommandActions.AppOption();
        var commit = new Option<string>("--commit") { Description = "Branch, tag or commit to deploy (default HEAD)", DefaultValueFactory = _ => DefaultRevision };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the result" };
        var noFollow = new Option<bool>("--no-follow") { Description = "Return after the upload, printing the deployment id" };
        var cancelPrevious = new Option<bool>("--cancel-previous") { Description = "Cancel a deployment of this app still in progress (default: queue behind it)" };
        var gitDir = new Option<string?>("--git-dir") { Description = "Pack from this bare repository (used by the git push hook)", Hidden = true };
        var command = new Command("deploy", "Deploy a commit of this git work tree and follow it live") { app, commit, quiet, noFollow, cancelPrevious, gitDir };
        command.Run(context, async (parse, ct) =>
        {
            var bare = parse.GetValue(gitDir);
            var repository = bare is null
                ? await GitRepository.OpenWorkTreeAsync(context.Env.WorkingDirectory, ct)
                : await GitRepository.OpenBareAsync(Path.GetFullPath(bare, context.Env.WorkingDirectory), ct);
            var name = context.App(parse.GetValue(app));
            var resolved = await repository.ResolveAsync(parse.GetValue(commit) ?? DefaultRevision, ct);

            using var client = context.Client();
            var env = await client.GetEnvAsync(name, ct);
            using var plan = await ArchivePlan.CreateAsync(
                repository, resolved.Id, !SubmodulesDisabled(env), ct, bare is null ? null : SubmodulePolicy.FromEnvironment(context.Env.Variables));
            var upload = new DeploymentUpload(resolved.Id, resolved.Subject, bare is null ? "upload" : "push", parse.GetValue(cancelPrevious));
            var deployment = await client.CreateDeploymentAsync(name, upload, new ArchiveContent(plan, ct), ct);

            if (parse.GetValue(noFollow))
            {
                context.Output.Line(deployment.Id);
                return ExitCodes.Ok;
            }

            var isQuiet = parse.GetValue(quiet);
            if (!isQuiet)
            {
                context.Output.Line($"Deploying {name} {resolved.Short} \"{resolved.Subject}\" (deployment {deployment.Id})");
            }

            var follower = new DeploymentFollower(client, TimeProvider.System);
            var final = await new DeployProgress(context.Output, isQuiet).RunAsync(onEvent => follower.FollowAsync(name, deployment.Id, onEvent, ct));
            return await ReportAsync(context, client, final, resolved, ct);
        });
        return command;
    }

    /// <summary>Whether the app turned submodules off, read through the variable registry (aliases and accepted spellings included).</summary>
    internal static bool SubmodulesDisabled(EnvDto env)
    {
        var relevant = env.Variables
            .Where(v => VariableRegistry.Default.Find(v.Key)?.Definition == KnownVariables.DisableGitSubmodules)
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        return new VariableValidator(VariableRegistry.Default, HostVersions.None).ReadSettings(relevant).DisableGitSubmodules;
    }

    private static async Task<int> ReportAsync(CliContext context, NuageClient client, DeploymentDto final, GitCommit commit, CancellationToken cancellationToken)
    {
        switch (final.State)
        {
            case DeploymentStates.Succeeded:
                var url = (await client.GetAppAsync(final.App, cancellationToken)).Url;
                context.Output.Success($"Deployed {final.App} ({commit.Short}) in {Durations.Format(final.DurationMs)} → {url}");
                return ExitCodes.Ok;
            case DeploymentStates.Cancelled:
                context.Output.Failure($"Deployment {final.Id} was cancelled{(final.FailureReason is { } why ? $": {why}" : "")}.");
                return ExitCodes.Failed;
            default:
                context.Output.Failure($"Deployment failed at {final.FailedStage ?? "an unknown stage"}: {final.FailureReason ?? "no reason given"}");
                return ExitCodes.Failed;
        }
    }
}
