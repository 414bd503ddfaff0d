using Nuage;
using Nuage.Cli;
using Nuage.Cli.Hosting;

// One binary: 'nuage server' hosts the platform, every other verb is the CLI.
var env = CliEnvironment.FromProcess();
return await CliApp.RunAsync(NuageCommandLine.CreateRoot(env, args), env, args, CancellationToken.None);
