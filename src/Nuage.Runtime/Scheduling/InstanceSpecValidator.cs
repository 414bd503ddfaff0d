using System.Globalization;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Runtime.Sandboxing;

namespace Nuage.Runtime.Scheduling;

/// <summary>Checks a spec completely before anything is created, and reports every problem at once.</summary>
internal static class InstanceSpecValidator
{
    public static void Validate(InstanceSpec spec, bool requireUid, bool requireAddress = false)
    {
        var errors = new List<FieldError>();
        SafeName(errors, nameof(spec.AppId), spec.AppId);
        SafeName(errors, nameof(spec.InstanceId), spec.InstanceId);
        if (string.IsNullOrWhiteSpace(spec.Command))
        {
            errors.Add(new FieldError(nameof(spec.Command), spec.Command, "must be a non-empty shell command."));
        }

        ExistingDirectory(errors, nameof(spec.ReleaseDirectory), spec.ReleaseDirectory);
        ExistingDirectory(errors, nameof(spec.DataDirectory), spec.DataDirectory);
        if (spec.WorkingDirectory is { } work)
        {
            ExistingDirectory(errors, nameof(spec.WorkingDirectory), work);
            var release = Path.TrimEndingDirectorySeparator(spec.ReleaseDirectory) + "/";
            if (Path.IsPathFullyQualified(work) && !(Path.TrimEndingDirectorySeparator(work) + "/").StartsWith(release, StringComparison.Ordinal))
            {
                errors.Add(new FieldError(nameof(spec.WorkingDirectory), work, $"must be inside the release directory '{spec.ReleaseDirectory}'."));
            }
        }

        if (spec.Kind == InstanceKind.Web && spec.Port is not (> 0 and <= 65535))
        {
            errors.Add(new FieldError(nameof(spec.Port), Text(spec.Port), "a Web instance needs a port between 1 and 65535 (see LocalScheduler.AllocatePort)."));
        }

        if (spec.Kind != InstanceKind.Web && spec.Port is not null)
        {
            errors.Add(new FieldError(nameof(spec.Port), Text(spec.Port), $"only Web instances have a port; this one is {spec.Kind}."));
        }

        foreach (var path in new[] { (nameof(spec.StdoutPath), spec.StdoutPath), (nameof(spec.StderrPath), spec.StderrPath) })
        {
            if (string.IsNullOrWhiteSpace(path.Item2) || !Path.IsPathFullyQualified(path.Item2))
            {
                errors.Add(new FieldError(path.Item1, path.Item2, "must be an absolute file path (NuagePaths.InstanceOutput)."));
            }
        }

        if (spec.RestartDelay < TimeSpan.Zero)
        {
            errors.Add(new FieldError(nameof(spec.RestartDelay), spec.RestartDelay.ToString(), "must not be negative."));
        }

        if (spec.Flavor.MemoryMiB <= 0 || spec.Flavor.MilliCpu <= 0 || spec.Flavor.MaxProcesses <= 0)
        {
            errors.Add(new FieldError(nameof(spec.Flavor), spec.Flavor.Name, "memory, CPU and process limits must all be positive."));
        }

        if (requireUid && spec.Uid is not { } uid)
        {
            errors.Add(new FieldError(nameof(spec.Uid), null, "is required when the server runs as root: allocate one per app with AppUserIds.ForIndex(n)."));
        }
        else if (requireUid && spec.Uid is { } given && !AppUserIds.IsAppUid(given))
        {
            errors.Add(new FieldError(nameof(spec.Uid), Text(given), $"must be in the app range {AppUserIds.First}–{AppUserIds.First + AppUserIds.Count - 1}."));
        }

        if (requireAddress && spec.Address is null)
        {
            errors.Add(new FieldError(nameof(spec.Address), null, "is required while instances get networks of their own: allocate one with AllocateAddress()."));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidInstanceSpec, errors);
        }
    }

    private static void SafeName(List<FieldError> errors, string field, string value)
    {
        var ok = !string.IsNullOrEmpty(value) && value.Length <= 100 && value is not ("." or "..")
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        if (!ok)
        {
            errors.Add(new FieldError(field, value, "must be 1–100 ASCII letters, digits, '-', '_' or '.' (it names files and cgroups)."));
        }
    }

    private static void ExistingDirectory(List<FieldError> errors, string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || !Path.IsPathFullyQualified(value) || !Directory.Exists(value))
        {
            errors.Add(new FieldError(field, value, "must be an existing absolute directory."));
        }
    }

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
