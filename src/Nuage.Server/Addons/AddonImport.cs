using Nuage.Core.Addons;
using Nuage.Core.Errors;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>A table (or Redis' key set) and how many rows (keys) it holds.</summary>
internal sealed record ImportCount(string Name, long Rows);

/// <summary>
/// One import into a running add-on: where the add-on listens, the source, a root-only scratch folder for the dump
/// (deleted afterwards) and where to report progress.
/// </summary>
internal sealed record AddonImportJob(AddonRecord Addon, string Host, int Port, string Password, AddonSourceUrl Source, string ScratchDirectory, Action<string> Progress);

/// <summary>The errors of an import, worded once: they name the "from" field and its value without the password.</summary>
internal static class AddonImportErrors
{
    public const string Field = "from";

    /// <summary>The source could not be used: <paramref name="problem"/> says why (refused login, unknown host, …).</summary>
    public static NuageException Source(AddonSourceUrl source, string problem) =>
        new(ErrorKind.Failed, ErrorCodes.AddonImportFailed, $"{Field}: {problem}; the add-on was not changed", [new FieldError(Field, source.Redacted, problem)]);

    /// <summary>Turns a client program's stderr about the source into a message that says which part of the URL is wrong.</summary>
    public static NuageException Classify(AddonSourceUrl source, AddonToolResult result)
    {
        var text = result.Errors;
        var where = $"{source.Host}:{source.Port}";
        string problem;
        if (Has(text, "password authentication failed", "no password supplied", "Access denied", "WRONGPASS", "NOAUTH", "invalid password"))
        {
            problem = $"the source at {where} refused the credentials of user \"{source.User}\" (check the user and password in the URL)";
        }
        else if (Has(text, "does not exist", "Unknown database"))
        {
            problem = $"the source at {where} has no database \"{source.Database}\" for user \"{source.User}\" ({Last(text)})";
        }
        else if (Has(text, "could not translate host name", "Unknown server host", "Name or service not known", "Temporary failure in name resolution"))
        {
            problem = $"the source host \"{source.Host}\" cannot be resolved (check the host in the URL)";
        }
        else if (Has(text, "Connection refused", "Can't connect", "timeout expired", "No route to host", "Network is unreachable", "Connection timed out"))
        {
            problem = $"the source at {where} is unreachable from the server ({Last(text)})";
        }
        else
        {
            problem = $"reading the source at {where} failed: {Last(text)}";
        }

        return Source(source, problem);
    }

    /// <summary>The copy finished but some tables do not hold the source's row count: each is named.</summary>
    public static NuageException Mismatch(IEnumerable<string> tables) =>
        new(ErrorKind.Failed, ErrorCodes.AddonImportFailed,
            $"the copy does not match the source: {string.Join("; ", tables)}. The add-on keeps its previous data; stop writes to the source during the import and run it again.");

    /// <summary>Writing into the add-on failed (the tool's last lines); the add-on keeps its previous data.</summary>
    public static NuageException Load(string tool, AddonToolResult result) =>
        new(ErrorKind.Failed, ErrorCodes.AddonImportFailed, $"loading the source's data into the add-on failed ({tool}: {Last(result.Errors)}); the add-on keeps its previous data");

    /// <summary>The uploaded dump <paramref name="job"/> cannot be used: <paramref name="problem"/> says why (exit 2, naming "from").</summary>
    public static NuageException File(AddonFileImportJob job, string problem) =>
        NuageException.Invalid(ErrorCodes.AddonImportInvalid, [new FieldError(Field, job.Display, $"\"{job.Display}\": {problem}; the add-on was not changed")]);

    /// <summary>The dump holds client commands an import does not run (they would run on the server's host): refused, nothing changed.</summary>
    public static NuageException MetaCommand(string? file, string what) =>
        NuageException.Invalid(ErrorCodes.AddonImportInvalid, [new FieldError(Field, file ?? "source",
            $"{(file is null ? "the source's dump" : $"\"{file}\"")} contains {what}, which an import refuses to run (they would act on the server's host); remove them from the dump. The add-on was not changed")]);

    /// <summary>Compares per-table counts after the copy; throws <see cref="Mismatch"/> naming every table that differs.</summary>
    public static IReadOnlyList<Core.Api.AddonImportTableDto> Verify(IReadOnlyList<ImportCount> expected, IReadOnlyList<ImportCount> actual)
    {
        var found = actual.ToDictionary(c => c.Name, c => c.Rows, StringComparer.Ordinal);
        var tables = expected.Select(e => new Core.Api.AddonImportTableDto(e.Name, e.Rows, found.GetValueOrDefault(e.Name, -1))).ToList();
        var wrong = tables.Where(t => t.ImportedRows != t.SourceRows).ToList();
        if (wrong.Count > 0)
        {
            throw Mismatch(wrong.Select(t => t.ImportedRows < 0
                ? $"table {t.Name} is missing in the add-on (source has {t.SourceRows} rows)"
                : $"table {t.Name} has {t.ImportedRows} rows, the source has {t.SourceRows}"));
        }

        return tables;
    }

    private static bool Has(string text, params string[] needles) => needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));

    private static string Last(string text)
    {
        var lines = text.Trim().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no error output" : string.Join(" ", lines.TakeLast(2));
    }
}
