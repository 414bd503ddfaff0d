using System.Globalization;
using System.Text;

namespace Nuage.Build.Planning;

/// <summary>The host programs that serve a PHP release, chosen by the planner (see docs/runtimes.md).</summary>
/// <param name="PhpFpm">Absolute path of the PHP-FPM binary, e.g. <c>/usr/sbin/php-fpm8.2</c>.</param>
/// <param name="Httpd">Absolute path of Apache httpd, e.g. <c>/usr/sbin/apache2</c>.</param>
/// <param name="ModulesDirectory">Where httpd's loadable modules are, e.g. <c>/usr/lib/apache2/modules</c>.</param>
public sealed record PhpHost(string PhpFpm, string Httpd, string ModulesDirectory);

/// <summary>
/// The shell command a PHP instance runs: it writes a self-contained PHP-FPM and Apache httpd configuration into
/// a fresh directory under <c>$TMPDIR</c> (the sandbox's private /tmp), starts PHP-FPM (foreground, unix socket)
/// and httpd (foreground, <c>127.0.0.1:$PORT</c>, <c>.htaccess</c> honoured) side by side, and ends when either
/// ends or on SIGTERM, stopping the other. Nothing of the host's <c>/etc/apache2</c> or FPM pools is read.
/// PHP sessions are files in <see cref="SessionFolder"/> of the app's data directory: shared by every instance of
/// the app, kept across deployments, private to the app's uid.
/// </summary>
public static class PhpServing
{
    /// <summary>Environment variable holding the per-instance runtime directory; both daemons expand it in their config.</summary>
    public const string RuntimeDirectoryVariable = "NUAGE_PHP_DIR";

    /// <summary>Folder of the app's data directory holding PHP's session files (<c>session.save_path</c>).</summary>
    public const string SessionFolder = ".php-sessions";

    /// <summary>
    /// PHP's session garbage collection: Debian's php.ini turns it off (gc_probability 0, a cron job cleans
    /// /var/lib/php/sessions instead), and no cron runs here, so about one request in 100 that starts a session
    /// removes the files idle longer than <c>session.gc_maxlifetime</c> (php.ini's 1440 s unless the app sets it).
    /// </summary>
    internal const int SessionGcProbability = 1;

    internal const int SessionGcDivisor = 100;

    /// <summary>Apache modules loaded: Debian's defaults plus rewrite, headers, expires and FastCGI proxying.</summary>
    internal static readonly string[] Modules =
    [
        "mpm_event", "authz_core", "authz_host", "authz_user", "authn_core", "authn_file", "auth_basic", "access_compat",
        "alias", "dir", "mime", "env", "setenvif", "filter", "deflate", "headers", "expires", "rewrite", "proxy", "proxy_fcgi",
    ];

    /// <summary>The session directory of an app whose data directory (<c>NuagePaths.Data</c>) is <paramref name="dataDirectory"/>.</summary>
    public static string SessionDirectory(string dataDirectory) => Path.Combine(dataDirectory, SessionFolder);

    /// <summary>
    /// The <c>bash -c</c> command of a web instance for a <see cref="StartKind.Php"/> plan; PHP sessions go to
    /// <see cref="SessionDirectory"/> of <paramref name="dataDirectory"/> (the app's persistent, read-write folder).
    /// </summary>
    public static string Command(StartPlan plan, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Kind != StartKind.Php || plan.StaticRoot is null || plan.Php is null)
        {
            throw new ArgumentException("Not a PHP start plan (kind Php with a document root and the PHP host programs).", nameof(plan));
        }

        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return Command(plan.StaticRoot, plan.Php, SessionDirectory(dataDirectory));
    }

    internal static string Command(string documentRoot, PhpHost host, string sessionDirectory)
    {
        var dir = RuntimeDirectoryVariable;
        var script = new StringBuilder();
        script.Append("set -eu\n");

        // Daemons reopen /dev/stdout and /dev/stderr by path; the instance's output files belong to the platform
        // (the app uid may not reopen them), so go through pipes this uid owns. The cats ignore SIGTERM so the
        // daemons' last lines still get through; they end when the daemons close the pipes.
        script.Append("exec > >(trap '' TERM; exec cat) 2> >(trap '' TERM; exec cat >&2)\n");
        script.Append(CultureInfo.InvariantCulture, $"{dir}=$(mktemp -d \"${{TMPDIR:-/tmp}}/nuage-php.XXXXXX\")\nexport {dir}\n");
        var fpmConfig = FpmConfig(sessionDirectory);

        // The data directory is the app's (its uid, 0700), so the session files are out of other apps' reach.
        // A failure only breaks session_start(), so it is reported, not fatal to apps that use no sessions.
        var sessions = ShellQuote.Quote(Path.TrimEndingDirectorySeparator(sessionDirectory));
        script.Append(CultureInfo.InvariantCulture, $"mkdir -p -m 0700 {sessions} || echo nuage: cannot create the PHP session directory {sessions}, session_start will fail >&2\n");
        script.Append(CultureInfo.InvariantCulture, $"cat > \"${dir}/php-fpm.conf\" <<'NUAGE_PHP_FPM_CONF'\n{fpmConfig}NUAGE_PHP_FPM_CONF\n");
        script.Append(CultureInfo.InvariantCulture, $"cat > \"${dir}/httpd.conf\" <<'NUAGE_HTTPD_CONF'\n{HttpdConfig(documentRoot, host.ModulesDirectory)}NUAGE_HTTPD_CONF\n");

        // PHP-FPM refuses to run as root without -R (only when the platform runs without the sandbox, as root).
        script.Append("fpm_root=; [ \"$(id -u)\" = 0 ] && fpm_root=-R\n");
        script.Append(CultureInfo.InvariantCulture, $"{ShellQuote.Quote(host.PhpFpm)} -F -y \"${dir}/php-fpm.conf\" $fpm_root &\nfpm=$!\n");

        // httpd answers 503 until PHP-FPM listens: wait (bounded, 10 s) for its socket first.
        script.Append(CultureInfo.InvariantCulture, $"for _ in $(seq 200); do [ -S \"${dir}/php-fpm.sock\" ] && break; kill -0 $fpm 2>/dev/null || break; sleep 0.05; done\n");
        script.Append(CultureInfo.InvariantCulture, $"{ShellQuote.Quote(host.Httpd)} -DFOREGROUND -d \"${dir}\" -f \"${dir}/httpd.conf\" &\nhttpd=$!\n");
        script.Append("trap 'kill -TERM $fpm $httpd 2>/dev/null || true' TERM INT\n");
        script.Append("set +e\nwait -n $fpm $httpd\nstatus=$?\n");
        script.Append("kill -TERM $fpm $httpd 2>/dev/null\nwait $fpm $httpd\nexit $status\n");
        return script.ToString();
    }

    /// <summary>
    /// PHP-FPM: one pool on a unix socket, as the instance's own uid, the app's environment passed to PHP, sessions
    /// as files in <paramref name="sessionDirectory"/>. <c>php_value</c> (not <c>php_admin_value</c>) so an app may
    /// still choose another handler or lifetime with <c>ini_set</c> or a <c>.user.ini</c>.
    /// </summary>
    internal static string FpmConfig(string sessionDirectory)
    {
        var dir = "${" + RuntimeDirectoryVariable + "}";
        var sessions = ConfigString(Path.TrimEndingDirectorySeparator(sessionDirectory), nameof(sessionDirectory));
        return $"""
            [global]
            pid = {dir}/php-fpm.pid
            error_log = /proc/self/fd/2
            log_limit = 8192
            daemonize = no

            [app]
            listen = {dir}/php-fpm.sock
            listen.mode = 0600
            pm = ondemand
            pm.max_children = 5
            pm.process_idle_timeout = 30s
            pm.max_requests = 500
            clear_env = no
            catch_workers_output = yes
            decorate_workers_output = no
            php_value[session.save_handler] = files
            php_value[session.save_path] = {sessions}
            php_value[session.gc_probability] = {SessionGcProbability}
            php_value[session.gc_divisor] = {SessionGcDivisor}

            """;
    }

    /// <summary>Apache httpd: event MPM sized for small flavors, the document root with <c>AllowOverride All</c>, .php to FPM.</summary>
    internal static string HttpdConfig(string documentRoot, string modulesDirectory)
    {
        var root = ConfigString(Path.TrimEndingDirectorySeparator(documentRoot), nameof(documentRoot));
        var dir = "${" + RuntimeDirectoryVariable + "}";
        var config = new StringBuilder();
        foreach (var module in Modules)
        {
            config.Append(CultureInfo.InvariantCulture, $"LoadModule {module}_module {ConfigString(Path.Combine(modulesDirectory, $"mod_{module}.so"), nameof(modulesDirectory))}\n");
        }

        config.Append(CultureInfo.InvariantCulture, $$"""
            ServerName localhost
            Listen 127.0.0.1:${PORT}
            PidFile {{dir}}/httpd.pid
            DefaultRuntimeDir {{dir}}
            Mutex file:{{dir}} default
            ErrorLog /dev/stderr
            LogLevel warn
            LogFormat "%a %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined
            CustomLog /dev/stdout combined
            TypesConfig /etc/mime.types
            AddDefaultCharset Off
            ServerTokens Prod
            ServerSignature Off
            TraceEnable Off

            # Event MPM kept small: every thread counts against the flavor's process limit.
            StartServers 1
            ServerLimit 2
            ThreadLimit 8
            ThreadsPerChild 8
            MaxRequestWorkers 16
            MinSpareThreads 1
            MaxSpareThreads 16

            <Directory />
                AllowOverride None
                Require all denied
            </Directory>

            DocumentRoot {{root}}
            <Directory {{root}}>
                Options FollowSymLinks
                AllowOverride All
                Require all granted
                CGIPassAuth On
            </Directory>

            DirectoryIndex index.php index.html
            <FilesMatch "\.php$">
                SetHandler "proxy:unix:{{dir}}/php-fpm.sock|fcgi://localhost"
            </FilesMatch>
            <FilesMatch "^\.ht">
                Require all denied
            </FilesMatch>

            """);
        return config.ToString();
    }

    /// <summary>A path as a double-quoted httpd or PHP-FPM value; refuses characters they or the heredoc would interpret.</summary>
    private static string ConfigString(string value, string field)
    {
        if (value.IndexOfAny(['"', '\\', '$', '\n', '\r', '\0']) >= 0)
        {
            throw new ArgumentException($"The path '{value}' contains a character not allowed in an httpd configuration (\", \\, $ or a line break).", field);
        }

        return "\"" + value + "\"";
    }
}
