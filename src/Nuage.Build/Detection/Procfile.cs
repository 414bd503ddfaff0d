using System.Text.RegularExpressions;
using Nuage.Core.Errors;

namespace Nuage.Build.Detection;

/// <summary>
/// A parsed Procfile: one <c>type: command</c> per line, blank lines and <c>#</c> comments ignored.
/// <c>web</c> serves HTTP, <c>release</c> runs once per deployment, every other type is a worker.
/// </summary>
public sealed partial class Procfile
{
    public const string FileName = "Procfile";
    public const string Web = "web";
    public const string Release = "release";

    private Procfile(IReadOnlyList<ProcessType> processes)
    {
        Processes = processes;
    }

    /// <summary>Process types in file order.</summary>
    public IReadOnlyList<ProcessType> Processes { get; }

    /// <summary>The <c>web</c> command, or null.</summary>
    public string? WebCommand => Find(Web);

    /// <summary>The <c>release</c> command, or null.</summary>
    public string? ReleaseCommand => Find(Release);

    /// <summary>Every type other than <c>web</c> and <c>release</c>, in file order.</summary>
    public IReadOnlyList<ProcessType> Workers => [.. Processes.Where(p => p.Name is not Web and not Release)];

    public string? Find(string name) => Processes.FirstOrDefault(p => p.Name == name)?.Command;

    /// <summary>Parses Procfile text; throws <c>invalid_procfile</c> naming every bad line.</summary>
    public static Procfile Parse(string text)
    {
        var processes = new List<ProcessType>();
        var errors = new List<FieldError>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var field = $"Procfile:{i + 1}";
            var match = LinePattern().Match(line);
            if (!match.Success)
            {
                errors.Add(new FieldError(field, line, "expected 'type: command' where type is letters, digits, '_' or '-'"));
                continue;
            }

            var name = match.Groups["name"].Value;
            var command = match.Groups["command"].Value.Trim();
            if (command.Length == 0)
            {
                errors.Add(new FieldError(field, line, $"process type '{name}' has no command"));
            }
            else if (processes.Any(p => p.Name == name))
            {
                errors.Add(new FieldError(field, line, $"process type '{name}' is declared twice"));
            }
            else
            {
                processes.Add(new ProcessType(name, command));
            }
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidProcfile, errors);
        }

        return new Procfile(processes);
    }

    /// <summary>Reads <c>Procfile</c> from <paramref name="directory"/>, or returns null when there is none.</summary>
    public static async Task<Procfile?> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Parse(await File.ReadAllTextAsync(path, cancellationToken)) : null;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9_-]+)\s*:(?<command>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex LinePattern();
}

/// <summary>One Procfile line: a process type and its shell command.</summary>
public sealed record ProcessType(string Name, string Command);
