using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Apps;

namespace Nuage.Server.Autoscale;

/// <summary>
/// Per-app autoscaling policies: set (developer), read (viewer), turn off (developer). Kept in memory for the
/// evaluator, stored in the state store. Setting a policy brings the app's instance count into its range (applied by
/// the evaluator, or at the next deployment) and warns when the spending ceiling cannot pay for max-instances.
/// </summary>
internal sealed class AutoscalePolicies(IStateStore store, AppService apps, AutoscaleCeiling ceiling, AutoscaleEvents events, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private ImmutableDictionary<string, AutoscalePolicy> _byApp = ImmutableDictionary.Create<string, AutoscalePolicy>(StringComparer.Ordinal);

    /// <summary>Every app's policy, by app id (a snapshot).</summary>
    public IReadOnlyDictionary<string, AutoscalePolicy> All => _byApp;

    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        foreach (var (appId, json) in await store.Autoscale.ListAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize<AutoscalePolicy>(json, Json) is { } policy)
            {
                ImmutableInterlocked.Update(ref _byApp, all => all.SetItem(appId, policy));
            }
        }
    }

    public async Task<AutoscaleDto> GetAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Reading the autoscaling policy");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        return ToDto(app, _byApp.GetValueOrDefault(app.Id), []);
    }

    public async Task<AutoscaleDto> SetAsync(Caller caller, string appName, AutoscaleRequest? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Setting the autoscaling policy");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        request ??= new AutoscaleRequest();
        var errors = new List<FieldError>();
        if (request.MinInstances is null)
        {
            errors.Add(new FieldError("min-instances", null, $"give a whole number from 1 to {AutoscalePolicy.MaxInstancesLimit}"));
        }

        if (request.MaxInstances is null)
        {
            errors.Add(new FieldError("max-instances", null, $"give a whole number from 1 to {AutoscalePolicy.MaxInstancesLimit}"));
        }

        var policy = new AutoscalePolicy
        {
            MinInstances = request.MinInstances ?? 1,
            MaxInstances = request.MaxInstances ?? request.MinInstances ?? 1,
            TargetCpuPercent = request.TargetCpu,
            TargetRps = request.TargetRps,
            TargetP99Ms = request.TargetP99Ms,
            MinFlavor = Flavors.Find(request.MinFlavor)?.Name ?? request.MinFlavor,
            MaxFlavor = Flavors.Find(request.MaxFlavor)?.Name ?? request.MaxFlavor,
        };
        errors.AddRange(errors.Count == 0 ? policy.Validate() : policy.Validate().Where(e => e.Field is not ("min-instances" or "max-instances")));
        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidScale, errors);
        }

        await store.Autoscale.SaveAsync(app.Id, JsonSerializer.Serialize(policy, Json), time.GetUtcNow(), cancellationToken);
        ImmutableInterlocked.Update(ref _byApp, all => all.SetItem(app.Id, policy));
        var count = Math.Clamp(app.Instances, policy.MinInstances, policy.MaxInstances);
        if (count != app.Instances && (await store.Apps.FindByIdAsync(app.Id, cancellationToken)) is { } fresh)
        {
            app = fresh with { Instances = count }; // what the next deployment starts; the evaluator converges the running set
            await store.Apps.UpdateAsync(app, cancellationToken);
        }

        var warnings = new List<string>();
        if (await ceiling.ForAsync(app, 0, app.Flavor, cancellationToken) is { } affordable && affordable.Instances < policy.MaxInstances)
        {
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"the organisation's spending ceiling affords {affordable.Instances} {app.Flavor} instance(s) until the month's end, fewer than max-instances ({policy.MaxInstances}): the autoscaler will not scale out past it ({affordable.Why})"));
        }

        return ToDto(app, policy, warnings);
    }

    public async Task<AutoscaleDto> DeleteAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Turning autoscaling off");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        await store.Autoscale.DeleteAsync(app.Id, cancellationToken);
        ImmutableInterlocked.Update(ref _byApp, all => all.Remove(app.Id));
        return ToDto(app, null, []);
    }

    /// <summary>Drops the policy of a deleted app from memory (its row went with the app).</summary>
    public void Forget(string appId) => ImmutableInterlocked.Update(ref _byApp, all => all.Remove(appId));

    /// <summary>Refuses a manual instance count while a policy decides it (the two would fight).</summary>
    public void CheckManualCount(AppConfig app, int? instances)
    {
        if (instances is { } n && _byApp.TryGetValue(app.Id, out var policy) && (n < policy.MinInstances || n > policy.MaxInstances))
        {
            throw NuageException.Invalid(ErrorCodes.InvalidScale, [new FieldError(
                "instances", n.ToString(CultureInfo.InvariantCulture),
                $"autoscaling is on for {app.Name} ({policy.MinInstances}–{policy.MaxInstances} instances); change the range with --min-instances/--max-instances, or turn it off with --autoscale off")]);
        }
    }

    /// <summary>Refuses a manual flavor outside the policy's flavor range (the autoscaler would move it back).</summary>
    public void CheckManualFlavor(AppConfig app, string? flavor)
    {
        if (flavor is null || !_byApp.TryGetValue(app.Id, out var policy) || policy.MinFlavor is null || policy.MaxFlavor is null)
        {
            return;
        }

        var names = Flavors.All.Select(f => f.Name).ToList();
        var rank = names.IndexOf(flavor);
        if (rank < names.IndexOf(policy.MinFlavor) || rank > names.IndexOf(policy.MaxFlavor))
        {
            throw NuageException.Invalid(ErrorCodes.InvalidScale, [new FieldError(
                "flavor", flavor,
                $"autoscaling is on for {app.Name} with flavors {policy.MinFlavor}–{policy.MaxFlavor}; change the range with --min-flavor/--max-flavor, or turn it off with --autoscale off")]);
        }
    }

    private AutoscaleDto ToDto(AppConfig app, AutoscalePolicy? policy, IReadOnlyList<string> warnings) => new()
    {
        App = app.Name,
        Enabled = policy is not null,
        MinInstances = policy?.MinInstances,
        MaxInstances = policy?.MaxInstances,
        MinFlavor = policy?.MinFlavor,
        MaxFlavor = policy?.MaxFlavor,
        TargetCpu = policy?.TargetCpuPercent,
        TargetRps = policy?.TargetRps,
        TargetP99Ms = policy?.TargetP99Ms,
        Instances = app.Instances,
        Flavor = app.Flavor,
        Warnings = warnings,
        Decisions = events.Of(app.Id),
    };
}
