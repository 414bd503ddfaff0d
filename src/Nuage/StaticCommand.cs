using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Hosting;
using Nuage.Server.Static;

namespace Nuage;

/// <summary><c>nuage serve-static --root DIR</c>: what a static app's instances run (hidden: the platform starts it).</summary>
internal static class StaticCommand
{
    public const string Name = "serve-static";

    public static Command Create(CliEnvironment env)
    {
        var root = new Option<string>("--root") { Description = "Directory to serve", Required = true };
        var command = new Command(Name, "Serve a directory on 127.0.0.1:$PORT (run by static apps' instances)") { root };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!int.TryParse(env.Variables.GetValueOrDefault("PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                await env.Error.WriteLineAsync("error: PORT must be set to a port number (1-65535).");
                return ExitCodes.InvalidInput;
            }

            return await StaticSite.RunAsync(parse.GetValue(root)!, port, env.Error, cancellationToken);
        });
        return command;
    }
}
