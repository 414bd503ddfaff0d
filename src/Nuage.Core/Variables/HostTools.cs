namespace Nuage.Core.Variables;

/// <summary>The tools whose installed versions the version variables choose from.</summary>
public static class HostTools
{
    public const string Php = "php";
    public const string Node = "node";
    public const string Python = "python";
    public const string Go = "go";
    public const string Dotnet = "dotnet";

    public static IReadOnlyList<string> All { get; } = [Php, Node, Python, Go, Dotnet];
}

/// <summary>One installed version of a tool and the executable that runs it.</summary>
public sealed record HostTool(string Tool, string Version, string Executable);
