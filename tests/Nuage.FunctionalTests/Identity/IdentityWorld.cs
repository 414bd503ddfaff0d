using System.Net.Http.Json;
using System.Text.Json;
using Nuage.Core.Auth;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Identity;

/// <summary>
/// Two organisations on a real server, "org-a" and "org-b", each with one member per role holding a personal token,
/// one app each ("app-a", "app-b") and one Redis add-on each ("db-a", "db-b"), set up through the REST API as the
/// operator (the bootstrap token) and each organisation's admin.
/// </summary>
internal sealed class IdentityWorld
{
    public const string OrgA = "org-a";
    public const string OrgB = "org-b";
    public const string AppA = "app-a";
    public const string AppB = "app-b";
    public const string AddonA = "db-a";
    public const string AddonB = "db-b";

    private readonly Dictionary<(string Org, Role Role), string> _tokens = [];

    private IdentityWorld(RunningServer server) => Server = server;

    public RunningServer Server { get; }

    public static IReadOnlyList<Role> AllRoles { get; } = Enum.GetValues<Role>();

    public static string Email(string org, Role role) => $"{Roles.Name(role)}@{org}.test";

    public string Token(string org, Role role) => _tokens[(org, role)];

    public static async Task<IdentityWorld> CreateAsync(RunningServer server)
    {
        var world = new IdentityWorld(server);
        using var op = server.Http();
        foreach (var org in (string[])[OrgA, OrgB])
        {
            await PostAsync(op, "v1/orgs", new { name = org });
            foreach (var role in AllRoles)
            {
                await PostAsync(op, $"v1/orgs/{org}/members", new { email = Email(org, role), role = Roles.Name(role) });
                using var created = await PostAsync(op, "v1/tokens", new { role = Roles.Name(role), org, user = Email(org, role), description = "test" });
                world._tokens[(org, role)] = created.RootElement.GetProperty("secret").GetString()!;
            }

            using var admin = server.Http(world.Token(org, Role.Admin));
            using var app = await PostAsync(admin, "v1/apps", new { name = org == OrgA ? AppA : AppB, runtime = "node" });
            using var addon = await PostAsync(admin, "v1/addons", new { name = org == OrgA ? AddonA : AddonB, type = "redis" });
        }

        return world;
    }

    public static async Task<JsonDocument> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }
}
