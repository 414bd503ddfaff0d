using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Nuage.Cli.Hosting;
using Spectre.Console;

namespace Nuage.Cli.Rendering;

/// <summary>Renders results: tables and colour on a terminal, plain aligned text otherwise, JSON on request.</summary>
public sealed class Output(CliEnvironment env)
{
    private readonly IAnsiConsole? _console = env.IsTerminal
        ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(env.Out), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Detect })
        : null;

    public TextWriter Out => env.Out;

    /// <summary>The Spectre console on a terminal (for live displays), null when output is redirected.</summary>
    internal IAnsiConsole? Console => _console;

    public void Line(string text = "") => env.Out.WriteLine(text);

    public void Success(string text)
    {
        if (_console is null)
        {
            env.Out.WriteLine(text);
        }
        else
        {
            _console.MarkupLine($"[green]{Markup.Escape(text)}[/]");
        }
    }

    /// <summary>An operation's failed outcome, on stdout with the other results (red on a terminal).</summary>
    public void Failure(string text)
    {
        if (_console is null)
        {
            env.Out.WriteLine(text);
        }
        else
        {
            _console.MarkupLine($"[red]{Markup.Escape(text)}[/]");
        }
    }

    public void Warning(string text) => env.Error.WriteLine($"warning: {text}");

    public void Error(string text) => env.Error.WriteLine($"error: {text}");

    public void Json<T>(T value, JsonTypeInfo<T> type) => env.Out.WriteLine(JsonSerializer.Serialize(value, type));

    /// <summary>Every listing's shape: JSON when asked, else a hint when empty, else a table with one row per item.</summary>
    public void Listing<T>(
        List<T> items, bool json, JsonTypeInfo<List<T>> type, IReadOnlyList<string> headers, Func<T, IReadOnlyList<string>> row, string? whenEmpty = null)
    {
        if (json)
        {
            Json(items, type);
        }
        else if (items.Count == 0 && whenEmpty is not null)
        {
            Line(whenEmpty);
        }
        else
        {
            Table(headers, items.Select(row));
        }
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var materialised = rows.ToList();
        if (_console is not null)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in headers)
            {
                table.AddColumn(new TableColumn($"[bold]{Markup.Escape(header)}[/]"));
            }

            foreach (var row in materialised)
            {
                table.AddRow(row.Select(cell => Markup.Escape(cell)).ToArray());
            }

            _console.Write(table);
            return;
        }

        var widths = headers.Select((h, i) => materialised.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        env.Out.WriteLine(Format(headers, widths));
        foreach (var row in materialised)
        {
            env.Out.WriteLine(Format(row, widths));
        }
    }

    private static string Format(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
