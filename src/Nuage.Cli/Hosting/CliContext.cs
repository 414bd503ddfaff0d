using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Rendering;

namespace Nuage.Cli.Hosting;

/// <summary>What every command needs: the environment, the output, the API client and the linked app.</summary>
public sealed class CliContext(CliEnvironment env)
{
    public CliEnvironment Env { get; } = env;

    public Output Output { get; } = new(env);

    public NuageClient Client()
    {
        var config = ConfigFile.Resolve(Env);
        return new NuageClient(config.Url, config.Token, config.Org);
    }

    /// <summary>The app named by <c>--app</c>, else the one linked by the nearest .nuage.json.</summary>
    public string App(string? option) =>
        option ?? AppLink.Find(Env.WorkingDirectory)?.App
        ?? throw CliException.Invalid("No app given: pass --app NAME, or run 'nuage link NAME' in your project directory.");
}
