namespace Nuage.Core.Apps;

/// <summary>Runtime names accepted by <c>nuage create -t</c>. Persisted: do not rename.</summary>
public static class Runtimes
{
    public const string Static = "static";
    public const string Node = "node";
    public const string Python = "python";
    public const string Php = "php";
    public const string Dotnet = "dotnet";
    public const string Go = "go";
    public const string Procfile = "procfile";

    public static IReadOnlyList<string> All { get; } = [Static, Node, Python, Php, Dotnet, Go, Procfile];

    public static bool IsKnown(string? runtime) => runtime is not null && All.Contains(runtime);
}
