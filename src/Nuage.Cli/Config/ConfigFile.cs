using System.Text.Json;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Config;

/// <summary>
/// Reads and writes <c>config.json</c> (mode 0600). <c>NUAGE_URL</c> and <c>NUAGE_TOKEN</c> override what it holds.
/// </summary>
internal static class ConfigFile
{
    public const string UrlVariable = "NUAGE_URL";
    public const string TokenVariable = "NUAGE_TOKEN";
    public const string OrgVariable = "NUAGE_ORG";

    public static string PathIn(CliEnvironment env) => Path.Combine(env.ConfigDirectory, "config.json");

    public static CliConfig Resolve(CliEnvironment env)
    {
        var stored = Read(env);
        var url = env.Variables.GetValueOrDefault(UrlVariable) is { Length: > 0 } u ? u : stored?.Url;
        var token = env.Variables.GetValueOrDefault(TokenVariable) is { Length: > 0 } t ? t : stored?.Token;
        if (url is null || token is null)
        {
            throw new CliException(ExitCodes.Unauthorized, "Not logged in: run 'nuage login --url URL --token TOKEN' (or set NUAGE_URL and NUAGE_TOKEN).");
        }

        var org = env.Variables.GetValueOrDefault(OrgVariable) is { Length: > 0 } o ? o : stored?.Org;
        return new CliConfig(url, token, org);
    }

    public static CliConfig? Read(CliEnvironment env)
    {
        var path = PathIn(env);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), CliJson.Default.CliConfig);
        }
        catch (JsonException e)
        {
            throw CliException.Invalid($"{path} is not valid JSON ({e.Message}); fix it or run 'nuage login' again.");
        }
    }

    public static void Write(CliEnvironment env, CliConfig config)
    {
        Directory.CreateDirectory(env.ConfigDirectory);
        var path = PathIn(env);
        var temp = path + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            JsonSerializer.Serialize(stream, config, CliJson.Default.CliConfig);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static bool Delete(CliEnvironment env)
    {
        var path = PathIn(env);
        var existed = File.Exists(path);
        File.Delete(path);
        return existed;
    }
}
