using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Addons;

/// <summary>Helpers shared by the add-on tests: API calls, real database clients (psql, mariadb, redis-cli) and a tiny app.</summary>
internal static class AddonTestSupport
{
    public static async Task<JsonElement> CreateAsync(RunningServer server, string name, string type)
    {
        using var http = server.Http();
        using var response = await http.PostAsJsonAsync("v1/addons", new { name, type });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<Dictionary<string, string>> CredentialsAsync(RunningServer server, string name)
    {
        using var http = server.Http();
        var json = await http.GetFromJsonAsync<JsonElement>($"v1/addons/{name}/credentials");
        return json.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    /// <summary>Runs a real client program and returns its exit code and combined output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout) + stderr);
    }

    /// <summary>psql against a PostgreSQL add-on with the given password (no password file, no prompt).</summary>
    public static Task<(int Code, string Output)> PsqlAsync(IReadOnlyDictionary<string, string> credentials, string sql, string? password = null, string? user = null) =>
        RunAsync("psql", new Dictionary<string, string> { ["PGPASSWORD"] = password ?? credentials["POSTGRESQL_ADDON_PASSWORD"], ["PGCONNECT_TIMEOUT"] = "10" },
            "-h", credentials["POSTGRESQL_ADDON_HOST"], "-p", credentials["POSTGRESQL_ADDON_PORT"], "-U", user ?? credentials["POSTGRESQL_ADDON_USER"],
            "-d", credentials["POSTGRESQL_ADDON_DB"], "-w", "-tAc", sql);

    /// <summary>A loopback port free right now (for a server the test starts itself).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The mariadb client against a MySQL add-on, tab-separated rows without headers.</summary>
    public static Task<(int Code, string Output)> MariaDbAsync(IReadOnlyDictionary<string, string> credentials, string sql) =>
        RunAsync("mariadb", new Dictionary<string, string> { ["MYSQL_PWD"] = credentials["MYSQL_ADDON_PASSWORD"] },
            "-h", credentials["MYSQL_ADDON_HOST"], "-P", credentials["MYSQL_ADDON_PORT"], "-u", credentials["MYSQL_ADDON_USER"], credentials["MYSQL_ADDON_DB"], "-N", "-B", "-e", sql);

    /// <summary>
    /// A Python app (standard library only) that stores and lists notes through the database's own command-line client,
    /// reading only the variables the link injects: GET /write?note=X inserts, GET /read lists.
    /// </summary>
    public static string WriteNotesApp(RunningServer server, string kind)
    {
        var dir = Path.Combine(server.Scratch, "notes-" + kind + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "requirements.txt"), "# standard library only\n");
        File.WriteAllText(Path.Combine(dir, "app.py"), NotesApp.Replace("__KIND__", kind, StringComparison.Ordinal));
        return dir;
    }

    private const string NotesApp = """
        import os, subprocess, urllib.parse
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        KIND = "__KIND__"

        def run(sql):
            if KIND == "postgresql":
                env = dict(os.environ, PGPASSWORD=os.environ["POSTGRESQL_ADDON_PASSWORD"])
                cmd = ["psql", "-h", os.environ["POSTGRESQL_ADDON_HOST"], "-p", os.environ["POSTGRESQL_ADDON_PORT"],
                       "-U", os.environ["POSTGRESQL_ADDON_USER"], "-d", os.environ["POSTGRESQL_ADDON_DB"], "-w", "-tAc", sql]
            elif KIND == "mysql":
                env = dict(os.environ, MYSQL_PWD=os.environ["MYSQL_ADDON_PASSWORD"])
                cmd = ["mariadb", "-h", os.environ["MYSQL_ADDON_HOST"], "-P", os.environ["MYSQL_ADDON_PORT"],
                       "-u", os.environ["MYSQL_ADDON_USER"], os.environ["MYSQL_ADDON_DB"], "-N", "-B", "-e", sql]
            else:
                env = dict(os.environ, REDISCLI_AUTH=os.environ["REDIS_PASSWORD"])
                cmd = ["redis-cli", "-h", os.environ["REDIS_HOST"], "-p", os.environ["REDIS_PORT"]] + sql.split(" ")
            p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=20)
            return p.returncode, p.stdout + p.stderr

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                query = urllib.parse.parse_qs(url.query)
                if url.path == "/health":
                    code, body = 0, "ok\n"
                elif url.path == "/write":
                    note = query["note"][0]
                    if KIND == "redis":
                        code, body = run("RPUSH notes " + note)
                    else:
                        code, body = run("CREATE TABLE IF NOT EXISTS notes (body TEXT); INSERT INTO notes VALUES ('" + note + "');")
                elif url.path == "/read":
                    code, body = run("LRANGE notes 0 -1") if KIND == "redis" else run("SELECT body FROM notes ORDER BY body;")
                else:
                    code, body = 1, "unknown path\n"
                data = body.encode()
                self.send_response(200 if code == 0 else 500)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
        """;
}
