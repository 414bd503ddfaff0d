using Nuage.Core.Apps;

namespace Nuage.Core.Variables;

/// <summary>
/// Values shared by the <see cref="KnownVariables"/> partial files. A separate class, because the order in which
/// static fields of one partial class spread over several files are initialised is not something to rely on.
/// </summary>
internal static class Shared
{
    public static readonly TextType Command = new(maxLength: 8192);

    public static readonly string[] Node = [Runtimes.Node];
    public static readonly string[] Php = [Runtimes.Php];
    public static readonly string[] Python = [Runtimes.Python];
    public static readonly string[] Dotnet = [Runtimes.Dotnet];
    public static readonly string[] Go = [Runtimes.Go];
    public static readonly string[] Static = [Runtimes.Static];
    public static readonly string[] StaticAndPhp = [Runtimes.Static, Runtimes.Php];
}
