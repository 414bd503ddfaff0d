using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Role = Nuage.Core.Auth.Role;
using Nuage.Core.Auth;
using Nuage.FunctionalTests.Identity;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.FunctionalTests.Mcp;
using Nuage.Server.Mcp;

namespace Nuage.FunctionalTests.Security;

/// <summary>
/// The isolation matrix: every REST endpoint and MCP tool (read from the server itself, so a new one without a rule
/// fails here), called by each role of org-a against org-a's resources and org-b's. Expected per cell: in org-a, the
/// role's rule (allowed: neither forbidden nor "app/org not found"; below the rule: 403); in org-b, exactly the
/// answer for a name that does not exist (so nothing leaks), never a success; listings never show org-b.
/// </summary>
public sealed class OrgIsolationAttackTests
{
    private const string Missing = "does-not-exist";

    /// <summary>Above every organisation role: only the platform operator passes (every organisation token gets 403).</summary>
    private const Role OperatorOnly = (Role)100;

    /// <summary>The least role each endpoint needs. Adding an endpoint means adding its rule here.</summary>
    private static readonly Dictionary<string, Role> RestRules = new(StringComparer.Ordinal)
    {
        ["GET /v1/whoami"] = Role.Viewer,
        ["GET /v1/network/status"] = OperatorOnly,
        ["GET /v1/network/peers"] = OperatorOnly,
        ["POST /v1/network/peers"] = OperatorOnly,
        ["DELETE /v1/network/peers/{address}"] = OperatorOnly,
        ["GET /v1/network/prefixes"] = OperatorOnly,
        ["POST /v1/network/prefixes"] = OperatorOnly,
        ["DELETE /v1/network/prefixes"] = OperatorOnly,
        ["PUT /v1/network/preflight"] = OperatorOnly,
        ["GET /v1/auth/providers"] = OperatorOnly,
        ["POST /v1/auth/providers"] = OperatorOnly,
        ["DELETE /v1/auth/providers"] = OperatorOnly,
        ["POST /v1/apps"] = Role.Developer,
        ["GET /v1/apps"] = Role.Viewer,
        ["GET /v1/apps/{app}"] = Role.Viewer,
        ["DELETE /v1/apps/{app}"] = Role.Developer,
        ["POST /v1/apps/{app}/scale"] = Role.Developer,
        ["POST /v1/apps/{app}/restart"] = Role.Developer,
        ["POST /v1/apps/{app}/stop"] = Role.Developer,
        ["POST /v1/apps/{app}/start"] = Role.Developer,
        ["GET /v1/apps/{app}/instances"] = Role.Viewer,
        ["POST /v1/apps/{app}/deployments"] = Role.Developer,
        ["GET /v1/apps/{app}/deployments"] = Role.Viewer,
        ["GET /v1/apps/{app}/deployments/{id}"] = Role.Viewer,
        ["GET /v1/apps/{app}/deployments/{id}/events"] = Role.Viewer,
        ["POST /v1/apps/{app}/redeploy"] = Role.Developer,
        ["POST /v1/apps/{app}/rollback"] = Role.Developer,
        ["GET /v1/apps/{app}/logs"] = Role.Viewer,
        ["GET /v1/apps/{app}/logs/stream"] = Role.Viewer,
        ["POST /v1/apps/{app}/drains"] = Role.Developer,
        ["GET /v1/apps/{app}/drains"] = Role.Viewer,
        ["POST /v1/apps/{app}/drains/{id}/enable"] = Role.Developer,
        ["POST /v1/apps/{app}/drains/{id}/disable"] = Role.Developer,
        ["DELETE /v1/apps/{app}/drains/{id}"] = Role.Developer,
        ["GET /v1/apps/{app}/domains"] = Role.Viewer,
        ["POST /v1/apps/{app}/domains"] = Role.Developer,
        ["DELETE /v1/apps/{app}/domains/{domain}"] = Role.Developer,
        ["GET /v1/apps/{app}/flow"] = Role.Viewer,
        ["PUT /v1/apps/{app}/flow"] = Role.Developer,
        ["GET /v1/apps/{app}/autoscale"] = Role.Viewer,
        ["PUT /v1/apps/{app}/autoscale"] = Role.Developer,
        ["DELETE /v1/apps/{app}/autoscale"] = Role.Developer,
        ["PUT /v1/apps/{app}/protect/basic/users/{user}"] = Role.Developer,
        ["DELETE /v1/apps/{app}/protect/basic/users/{user}"] = Role.Developer,
        ["PUT /v1/apps/{app}/protect/oidc"] = Role.Developer,
        ["POST /v1/apps/{app}/flow/cache/purge"] = Role.Developer,
        ["DELETE /v1/apps/{app}/protect"] = Role.Developer,
        ["GET /v1/metrics/summary"] = Role.Viewer,
        ["GET /v1/apps/{app}/env"] = Role.Viewer,
        ["PUT /v1/apps/{app}/env"] = Role.Developer,
        ["PUT /v1/apps/{app}/env/{name}"] = Role.Developer,
        ["DELETE /v1/apps/{app}/env/{name}"] = Role.Developer,
        ["GET /v1/variables"] = Role.Viewer,
        ["GET /v1/variables/schema"] = Role.Viewer,
        ["GET /v1/variables/{name}"] = Role.Viewer,
        ["POST /v1/tokens"] = Role.Viewer,
        ["GET /v1/tokens"] = Role.Viewer,
        ["DELETE /v1/tokens/{id}"] = Role.Viewer,

        // Anonymous sign-in endpoints (no token is read; every role gets the same answer: this server has no issuer,
        // and a missing handle is refused), so the viewer rule only says "never 401/403"; the leak check still applies.
        ["POST /v1/auth/oidc/device"] = Role.Viewer,
        ["POST /v1/auth/oidc/device/poll"] = Role.Viewer,
        ["POST /v1/auth/oidc/code"] = Role.Viewer,
        ["POST /v1/auth/oidc/code/complete"] = Role.Viewer,
        ["POST /v1/orgs"] = Role.Viewer,
        ["GET /v1/orgs"] = Role.Viewer,
        ["DELETE /v1/orgs/{org}"] = Role.Admin,
        ["GET /v1/orgs/{org}/members"] = Role.Viewer,
        ["POST /v1/orgs/{org}/members"] = Role.Manager,
        ["PUT /v1/orgs/{org}/members/{email}"] = Role.Manager,
        ["DELETE /v1/orgs/{org}/members/{email}"] = Role.Manager,
        ["GET /v1/audit"] = Role.Admin,
        ["GET /v1/audit/verify"] = Role.Admin,
        ["GET /v1/usage"] = Role.Accountant,
        ["GET /v1/orgs/{org}/budget"] = Role.Accountant,
        ["PUT /v1/orgs/{org}/budget"] = Role.Manager,
        ["DELETE /v1/orgs/{org}/budget"] = Role.Manager,
        ["GET /v1/metrics/history"] = Role.Viewer,
        ["POST /v1/apps/{app}/env/check"] = Role.Developer,
        ["GET /v1/addons/plans"] = Role.Viewer,
        ["POST /v1/addons"] = Role.Developer,
        ["GET /v1/addons"] = Role.Viewer,
        ["GET /v1/addons/{addon}"] = Role.Viewer,
        ["DELETE /v1/addons/{addon}"] = Role.Developer,
        ["POST /v1/addons/{addon}/links"] = Role.Developer,
        ["DELETE /v1/addons/{addon}/links/{app}"] = Role.Developer,
        ["GET /v1/addons/{addon}/credentials"] = Role.Developer,
        ["POST /v1/addons/{addon}/credentials/rotate"] = Role.Developer,
        ["POST /v1/addons/{addon}/backups"] = Role.Developer,
        ["GET /v1/addons/{addon}/backups"] = Role.Viewer,
        ["POST /v1/addons/{addon}/backups/{backup}/restore"] = Role.Developer,
        ["POST /v1/addons/{addon}/restart"] = Role.Developer,
        ["POST /v1/addons/{addon}/import"] = Role.Developer,
        ["POST /v1/addons/{addon}/import/file"] = Role.Developer,
        ["PUT /v1/addons/{addon}/backup-policy"] = Role.Developer,
        ["GET /v1/addons/{addon}/logs"] = Role.Viewer,
        ["GET /v1/addons/{addon}/logs/stream"] = Role.Viewer,
        ["POST /v1/addons/{addon}/drains"] = Role.Developer,
        ["GET /v1/addons/{addon}/drains"] = Role.Viewer,
        ["DELETE /v1/addons/{addon}/drains/{id}"] = Role.Developer,
    };

    private static readonly Dictionary<string, Role> McpRules = new(StringComparer.Ordinal)
    {
        ["list_apps"] = Role.Viewer,
        ["get_app"] = Role.Viewer,
        ["list_deployments"] = Role.Viewer,
        ["get_deployment"] = Role.Viewer,
        ["deploy"] = Role.Developer,
        ["rollback"] = Role.Developer,
        ["list_variables"] = Role.Viewer,
        ["get_env"] = Role.Viewer,
        ["set_env"] = Role.Developer,
        ["get_logs"] = Role.Viewer,
        ["scale"] = Role.Developer,
        ["restart_app"] = Role.Developer,
        ["list_addons"] = Role.Viewer,
        ["get_addon"] = Role.Viewer,
        ["create_addon"] = Role.Developer,
        ["link_addon"] = Role.Developer,
    };

    [Fact]
    public async Task RestMatrix_EachRoleOfOrgA_AgainstOrgAAndOrgB_GetsTheExpectedAnswerInEveryCell()
    {
        await using var server = await RunningServer.StartAsync();
        var world = await IdentityWorld.CreateAsync(server);
        var endpoints = ApiEndpoint.Of(server);
        var unruled = endpoints.Where(e => !RestRules.ContainsKey(e.ToString())).ToList();
        Assert.True(unruled.Count == 0, "Endpoints without an isolation rule (add one to RestRules): " + string.Join(", ", unruled));

        var failures = new List<string>();
        foreach (var role in IdentityWorld.AllRoles)
        {
            using var http = server.Http(world.Token(IdentityWorld.OrgA, role));
            foreach (var endpoint in endpoints)
            {
                var rule = RestRules[endpoint.ToString()];
                var (ownApp, ownAddon) = (IdentityWorld.AppA, IdentityWorld.AddonA);
                if (endpoint.ToString() == "DELETE /v1/apps/{app}" && role >= rule)
                {
                    ownApp = $"victim-{Roles.Name(role)}";
                    using var admin = server.Http(world.Token(IdentityWorld.OrgA, Role.Admin));
                    (await IdentityWorld.PostAsync(admin, "v1/apps", new { name = ownApp, runtime = "node" })).Dispose();
                }

                if (endpoint.ToString() == "DELETE /v1/addons/{addon}" && role >= rule)
                {
                    ownAddon = $"victim-{Roles.Name(role)}";
                    using var admin = server.Http(world.Token(IdentityWorld.OrgA, Role.Admin));
                    (await IdentityWorld.PostAsync(admin, "v1/addons", new { name = ownAddon, type = "redis" })).Dispose();
                }

                var own = await CallAsync(http, endpoint, endpoint.Path(ownApp, IdentityWorld.OrgA, ownAddon));
                if (role < rule ? own.Status != 403 : own.Status is 401 or 403 || own.Code is "app_not_found" or "org_not_found" or "addon_not_found")
                {
                    failures.Add($"{Roles.Name(role)} {endpoint} on org-a: {own}");
                }

                if (!endpoint.NamesApp && !endpoint.NamesAddon && !endpoint.Pattern.Contains("{org}", StringComparison.Ordinal))
                {
                    // The audit trail shows org-a's own attempts (which name what they typed); it must hold no org-b entry.
                    var leaks = endpoint.Pattern == "/v1/audit"
                        ? own.Body.Contains($"\"org\":\"{IdentityWorld.OrgB}\"", StringComparison.Ordinal)
                        : new[] { IdentityWorld.AppB, IdentityWorld.OrgB, IdentityWorld.AddonB }.Any(b => own.Body.Contains(b, StringComparison.Ordinal));
                    if (leaks)
                    {
                        failures.Add($"{Roles.Name(role)} {endpoint}: the answer mentions org-b: {own}");
                    }

                    continue;
                }

                // An endpoint naming both an add-on and an app is tried with each of org-b's in turn.
                foreach (var (app, addon) in endpoint.NamesApp && endpoint.NamesAddon
                    ? [(IdentityWorld.AppB, IdentityWorld.AddonA), (IdentityWorld.AppA, IdentityWorld.AddonB)]
                    : new[] { (IdentityWorld.AppB, IdentityWorld.AddonB) })
                {
                    var other = await CallAsync(http, endpoint, endpoint.Path(app, IdentityWorld.OrgB, addon));
                    var missing = await CallAsync(http, endpoint, endpoint.Path(app == IdentityWorld.AppB ? Missing : app, Missing, addon == IdentityWorld.AddonB ? Missing : addon));
                    if ((other.Status, other.Code) != (missing.Status, missing.Code) || (other.Status is >= 200 and < 300 && endpoint.Method != "DELETE"))
                    {
                        failures.Add($"{Roles.Name(role)} {endpoint} on org-b ({app}, {addon}): {other}; a missing name answers {missing}");
                    }
                }
            }
        }

        // Whatever was attempted, org-b's app, add-on, variables and members are intact.
        using var adminB = server.Http(world.Token(IdentityWorld.OrgB, Role.Admin));
        Assert.Equal(HttpStatusCode.OK, (await adminB.GetAsync($"v1/addons/{IdentityWorld.AddonB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminB.GetAsync($"v1/apps/{IdentityWorld.AppB}")).StatusCode);
        Assert.Equal(IdentityWorld.AllRoles.Count, JsonDocument.Parse(await adminB.GetStringAsync($"v1/orgs/{IdentityWorld.OrgB}/members")).RootElement.GetArrayLength());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task McpMatrix_EachRoleOfOrgA_AgainstOrgAAndOrgB_GetsTheExpectedAnswerInEveryCell()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Mcp = o.Mcp with { CallsPerWindow = 100_000, DeploysPerWindow = 100_000 } });
        var world = await IdentityWorld.CreateAsync(server);
        var tools = McpToolCatalog.ReadOnlyByName.Keys.Order().ToList();
        await using var probe = await McpHarness.ConnectAsync(server);
        var listed = await probe.ListToolsAsync();
        var appTools = listed.Where(t => t.JsonSchema.TryGetProperty("properties", out var p) && p.TryGetProperty("app", out _)).Select(t => t.Name).ToHashSet();
        var addonTools = listed.Where(t => t.JsonSchema.TryGetProperty("properties", out var p) && p.TryGetProperty("addon", out _)).Select(t => t.Name).ToHashSet();
        var unruled = tools.Where(t => !McpRules.ContainsKey(t)).ToList();
        Assert.True(unruled.Count == 0, "MCP tools without an isolation rule (add one to McpRules): " + string.Join(", ", unruled));

        var failures = new List<string>();
        foreach (var role in IdentityWorld.AllRoles)
        {
            await using var client = await McpHarness.ConnectAsync(server, world.Token(IdentityWorld.OrgA, role));
            foreach (var tool in tools)
            {
                var rule = McpRules[tool];
                var own = await CallToolAsync(client, tool, IdentityWorld.AppA, IdentityWorld.AddonA, role);
                if (role < rule ? own.Code != "FORBIDDEN" : own.Code is "FORBIDDEN" || own.Text.Contains("No app is named", StringComparison.Ordinal) || own.Text.Contains("No add-on is named", StringComparison.Ordinal))
                {
                    failures.Add($"{Roles.Name(role)} {tool} on org-a: {own}");
                }

                if (!appTools.Contains(tool) && !addonTools.Contains(tool))
                {
                    if (own.Text.Contains(IdentityWorld.AppB, StringComparison.Ordinal) || own.Text.Contains(IdentityWorld.AddonB, StringComparison.Ordinal))
                    {
                        failures.Add($"{Roles.Name(role)} {tool} shows org-b's app or add-on: {own}");
                    }

                    continue;
                }

                foreach (var (app, addon) in new[] { (IdentityWorld.AppB, IdentityWorld.AddonA), (IdentityWorld.AppA, IdentityWorld.AddonB) })
                {
                    if ((app == IdentityWorld.AppB && !appTools.Contains(tool)) || (addon == IdentityWorld.AddonB && !addonTools.Contains(tool)))
                    {
                        continue;
                    }

                    var other = await CallToolAsync(client, tool, app, addon, role);
                    var missing = await CallToolAsync(client, tool, app == IdentityWorld.AppB ? Missing : app, addon == IdentityWorld.AddonB ? Missing : addon, role);
                    if (other.Code != missing.Code || other.Code is null)
                    {
                        failures.Add($"{Roles.Name(role)} {tool} on org-b ({app}, {addon}): {other}; a missing name answers {missing}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task GitRemote_OfAnotherOrgsApp_AnswersNotFound_LikeAMissingApp()
    {
        await using var server = await RunningServer.StartAsync();
        var world = await IdentityWorld.CreateAsync(server);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("git:" + world.Token(IdentityWorld.OrgA, Role.Admin)));
        http.DefaultRequestHeaders.Authorization = new("Basic", basic);

        using var own = await http.GetAsync($"git/{IdentityWorld.AppA}.git/info/refs?service=git-receive-pack");
        using var other = await http.GetAsync($"git/{IdentityWorld.AppB}.git/info/refs?service=git-receive-pack");
        using var missing = await http.GetAsync($"git/{Missing}.git/info/refs?service=git-receive-pack");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(await missing.Content.ReadAsStringAsync(), (await other.Content.ReadAsStringAsync()).Replace(IdentityWorld.AppB, Missing, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RolesBelowDeveloper_ReadingVariables_SeeSecretsRedacted()
    {
        await using var server = await RunningServer.StartAsync();
        var world = await IdentityWorld.CreateAsync(server);
        using var admin = server.Http(world.Token(IdentityWorld.OrgA, Role.Admin));
        (await admin.PutAsJsonAsync($"v1/apps/{IdentityWorld.AppA}/env/DATABASE_PASSWORD", new { value = "hunter2" })).EnsureSuccessStatusCode();

        foreach (var role in IdentityWorld.AllRoles)
        {
            using var http = server.Http(world.Token(IdentityWorld.OrgA, role));
            var body = await http.GetStringAsync($"v1/apps/{IdentityWorld.AppA}/env");
            var value = JsonDocument.Parse(body).RootElement.GetProperty("variables").GetProperty("DATABASE_PASSWORD").GetString();
            Assert.True(role < Role.Developer ? value == "***" : value == "hunter2", $"{Roles.Name(role)} read {value}");
        }
    }

    [Fact]
    public async Task AddonLink_ToAnotherOrganisationsApp_AnswersLikeAMissingApp_AndTheOperatorCannotCrossOrganisations()
    {
        await using var server = await RunningServer.StartAsync();
        var world = await IdentityWorld.CreateAsync(server);
        using var developerA = server.Http(world.Token(IdentityWorld.OrgA, Role.Developer));

        var other = await LinkAsync(developerA, IdentityWorld.AddonA, IdentityWorld.AppB);
        var missing = await LinkAsync(developerA, IdentityWorld.AddonA, Missing);
        using var op = server.Http();
        var crossed = await LinkAsync(op, IdentityWorld.AddonA, IdentityWorld.AppB);

        Assert.Equal((404, "app_not_found"), (other.Status, other.Code));
        Assert.Equal(missing.Body.Replace(Missing, IdentityWorld.AppB, StringComparison.Ordinal), other.Body);
        Assert.Equal((422, "invalid_addon"), (crossed.Status, crossed.Code));
        Assert.Contains("another organisation", crossed.Body, StringComparison.Ordinal);
        var addon = JsonDocument.Parse(await op.GetStringAsync($"v1/addons/{IdentityWorld.AddonA}")).RootElement;
        Assert.Equal(0, addon.GetProperty("linkedApps").GetArrayLength());
    }

    private static async Task<Answer> LinkAsync(HttpClient http, string addon, string app)
    {
        using var response = await http.PostAsJsonAsync($"v1/addons/{addon}/links", new { app });
        var body = await response.Content.ReadAsStringAsync();
        var code = response.IsSuccessStatusCode ? null : JsonDocument.Parse(body).RootElement.GetProperty("code").GetString();
        return new Answer((int)response.StatusCode, code, body);
    }

    [Fact]
    public async Task DomainTakenByAnotherOrganisation_IsRefused_WithoutNamingItsApp()
    {
        await using var server = await RunningServer.StartAsync();
        var world = await IdentityWorld.CreateAsync(server);
        using var adminB = server.Http(world.Token(IdentityWorld.OrgB, Role.Admin));
        (await adminB.PostAsJsonAsync($"v1/apps/{IdentityWorld.AppB}/domains", new { domain = "www.b-corp.test" })).EnsureSuccessStatusCode();
        using var developerA = server.Http(world.Token(IdentityWorld.OrgA, Role.Developer));

        using var taken = await developerA.PostAsJsonAsync($"v1/apps/{IdentityWorld.AppA}/domains", new { domain = "www.b-corp.test" });

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.DoesNotContain(IdentityWorld.AppB, await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<Answer> CallAsync(HttpClient http, ApiEndpoint endpoint, string path)
    {
        using var response = await endpoint.SendAsync(http, path);
        var body = endpoint.IsStream && response.IsSuccessStatusCode ? string.Empty : await response.Content.ReadAsStringAsync();
        string? code = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            code = JsonDocument.Parse(body).RootElement.GetProperty("code").GetString();
        }

        return new Answer((int)response.StatusCode, code, body);
    }

    private static async Task<Answer> CallToolAsync(ModelContextProtocol.Client.McpClient client, string tool, string app, string addon, Role role)
    {
        var result = await client.CallToolAsync(tool, new Dictionary<string, object?>
        {
            ["app"] = app,
            ["addon"] = addon,
            ["type"] = "redis",
            ["deploymentId"] = "dep_0000000000000000",
            // create_addon creates a real add-on (one per role allowed to) under a valid name.
            ["name"] = tool == "create_addon" ? $"mcp-{Roles.Name(role)}" : "SOME_VARIABLE",
            ["value"] = "x",
            ["instances"] = 1,
        });
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        var code = result.IsError == true && result.StructuredContent is { } s && s.TryGetProperty("code", out var c) ? c.GetString() : null;
        return new Answer(result.IsError == true ? 400 : 200, code, text);
    }

    private sealed record Answer(int Status, string? Code, string Body)
    {
        public string Text => Body;

        public override string ToString() => $"{Status} {Code} {(Body.Length > 200 ? Body[..200] : Body)}";
    }
}
