namespace Nuage.Core.Variables;

/// <summary>
/// Clever Cloud variables that Nuage recognises but does not act on yet, so a migrating user is told which
/// settings will not take effect. Names are Clever Cloud's public reference; descriptions are ours. Values are
/// accepted as any non-empty text. Only <c>CC_</c>-prefixed names (plus one deprecated alias) are listed: the
/// reference's unprefixed names (RAILS_ENV, NPM_TOKEN, MEMORY_LIMIT…) are read by apps themselves, so flagging
/// them as "unsupported" would be wrong.
/// </summary>
public static partial class KnownVariables
{
    private static IEnumerable<VariableDefinition> Unsupported() =>
    [
        // Common to every runtime.
        U("CC_PRETTY_INSTANCE_NAME", "Human-friendly random name of an instance."),
        U("CC_DISABLE_JVM_AGENT", "Turns off the platform's JVM monitoring agent."),
        U("CC_PREVENT_LOGSCOLLECTION", "Stops the platform from collecting the app's logs."),
        U("CC_SSH_PRIVATE_KEY", "SSH private key installed for the build user, to fetch private dependencies.", secret: true),
        U("CC_SSH_PRIVATE_KEY_FILE", "File name under which CC_SSH_PRIVATE_KEY is installed."),
        U("CC_DISABLE_BUILD_CACHE_UPLOAD", "Skips creating the build cache archive after a build."),
        new VariableDefinition<string>("CC_IGNORE_FROM_BUILDCACHE", TextType.Any, "Paths left out of the build cache archive.")
        {
            Status = VariableStatus.RecognisedUnsupported,
            DeprecatedAliases = ["IGNORE_FROM_BUILDCACHE"],
        },
        U("CC_OVERRIDE_BUILDCACHE", "The only paths put in the build cache archive."),
        U("CC_CLAMAV", "Starts a ClamAV antivirus daemon beside the app."),
        U("CC_CLAMAV_MAXQUEUE", "ClamAV: longest queue of pending scans."),
        U("CC_CLAMAV_MAXTHREADS", "ClamAV: most scanning threads at once."),
        U("CC_METRICS_PROMETHEUS_PASSWORD", "Password protecting the app's own Prometheus endpoint.", secret: true),
        U("CC_METRICS_PROMETHEUS_PATH", "Path of the app's own Prometheus endpoint."),
        U("CC_METRICS_PROMETHEUS_PORT", "Port of the app's own Prometheus endpoint."),
        U("CC_METRICS_PROMETHEUS_RESPONSE_TIMEOUT", "Seconds to wait when scraping the app's Prometheus endpoint."),
        U("CC_METRICS_PROMETHEUS_USER", "User protecting the app's own Prometheus endpoint."),
        U("CC_VARNISH_STORAGE_SIZE", "Size of the Varnish cache placed in front of the app."),
        U("CC_ENABLE_REDIRECTIONIO", "Puts the redirection.io agent in front of the app."),
        U("CC_REDIRECTIONIO_PROJECT_KEY", "redirection.io project key.", secret: true),
        U("CC_REDIRECTIONIO_FORWARD_PORT", "Port the redirection.io agent forwards to."),
        U("CC_REDIRECTIONIO_INSTANCE_NAME", "Instance name reported to redirection.io."),
        U("CC_FS_BUCKET", "Mounts a network file-system bucket at a path of the app."),
        U("CC_VPN_DNS_OVERRIDES", "DNS servers used through the VPN add-on."),
        U("CC_HTTP_BASIC_AUTH", "login:password pairs protecting the app with HTTP basic authentication.", secret: true, indexed: true),
        U("CC_NGINX_PROXY_BUFFERS", "nginx proxy_buffers for the front web server.", "python", "ruby"),
        U("CC_NGINX_PROXY_BUFFER_SIZE", "nginx proxy_buffer_size for the front web server.", "python", "ruby"),

        // Runtimes Nuage has, settings it does not implement yet.
        U("CC_NPM_REGISTRY", "Private npm registry host.", "node"),
        U("CC_DOTNET_VERSION", ".NET version to build with.", "dotnet"),
        U("CC_GO_RUNDIR", "Directory the Go app runs from (deprecated on Clever Cloud).", "go"),
        U("CC_CGI_IMPLEMENTATION", "Apache FastCGI module used for PHP.", "php"),
        U("CC_APACHE_HEADERS_SIZE", "Largest request header size accepted by Apache, in KiB.", "php"),
        U("CC_LDAP_CA_CERT", "CA certificate for LDAP connections from PHP.", "php"),
        U("CC_MTA_AUTH_PASSWORD", "SMTP password for mail sent from PHP.", "php", secret: true),
        U("CC_MTA_AUTH_USER", "SMTP user for mail sent from PHP.", "php"),
        U("CC_MTA_SERVER_AUTH_METHOD", "Whether PHP mail authenticates to the SMTP server.", "php"),
        U("CC_MTA_SERVER_HOST", "SMTP server for mail sent from PHP.", "php"),
        U("CC_MTA_SERVER_PORT", "SMTP server port for mail sent from PHP.", "php"),
        U("CC_MTA_SERVER_USE_TLS", "Whether PHP mail uses TLS to the SMTP server.", "php"),
        U("CC_OPCACHE_INTERNED_STRINGS_BUFFER", "OPcache interned strings buffer, in MiB.", "php"),
        U("CC_OPCACHE_MAX_ACCELERATED_FILES", "Most files cached by OPcache.", "php"),
        U("CC_OPCACHE_MEMORY", "OPcache shared memory size.", "php"),
        U("CC_OPCACHE_PRELOAD", "PHP preload script path.", "php"),
        U("CC_PHP_ASYNC_APP_BUCKET", "Mounts the PHP session bucket asynchronously.", "php"),
        U("CC_PHP_DEV_DEPENDENCIES", "Whether Composer dev dependencies are installed.", "php"),
        U("CC_PHP_DISABLE_APP_BUCKET", "Turns off the PHP session bucket.", "php"),
        U("CC_REALPATH_CACHE_TTL", "PHP realpath cache lifetime.", "php"),
        U("CC_PYTHON_BACKEND", "Python application server (daphne, gunicorn, uvicorn, uwsgi).", "python"),
        U("CC_PYTHON_CELERY_LOGFILE", "Celery log file path.", "python"),
        U("CC_PYTHON_CELERY_MODULE", "Celery module started beside the app.", "python"),
        U("CC_PYTHON_CELERY_USE_BEAT", "Also starts Celery beat.", "python"),
        U("CC_PYTHON_MANAGE_TASKS", "Django manage.py tasks run at deployment, comma-separated.", "python"),
        U("CC_PYTHON_USE_GEVENT", "Runs the Python server with gevent.", "python"),

        // Runtimes Nuage does not have.
        U("CC_DOCKERFILE", "Dockerfile to build.", "docker"),
        U("CC_DOCKER_EXPOSED_HTTP_PORT", "HTTP port the container listens on.", "docker"),
        U("CC_DOCKER_EXPOSED_TCP_PORT", "TCP port the container listens on.", "docker"),
        U("CC_DOCKER_FIXED_CIDR_V6", "IPv6 subnet for the Docker daemon.", "docker"),
        U("CC_DOCKER_LOGIN_PASSWORD", "Password for a private container registry.", "docker", secret: true),
        U("CC_DOCKER_LOGIN_SERVER", "Private container registry host.", "docker"),
        U("CC_DOCKER_LOGIN_USERNAME", "User for a private container registry.", "docker"),
        U("CC_MOUNT_DOCKER_SOCKET", "Gives the container the host's Docker socket.", "docker"),
        U("CC_ELIXIR_VERSION", "Elixir version.", "elixir"),
        U("CC_MIX_BUILD_GOAL", "mix goal that builds the app.", "elixir"),
        U("CC_PHOENIX_ASSETS_DIR", "Folder of Phoenix assets.", "elixir"),
        U("CC_PHOENIX_DIGEST_GOAL", "Phoenix digest goal.", "elixir"),
        U("CC_PHOENIX_RUN_ECTO_MIGRATE", "Whether Ecto migrations run at deployment.", "elixir"),
        U("CC_PHOENIX_SERVER_GOAL", "Phoenix server goal.", "elixir"),
        U("CC_HASKELL_STACK_TARGET", "Stack package target.", "haskell"),
        U("CC_HASKELL_STACK_SETUP_COMMAND", "Replaces the Stack setup step.", "haskell"),
        U("CC_HASKELL_STACK_INSTALL_COMMAND", "Replaces the Stack install step.", "haskell"),
        U("CC_HASKELL_STACK_INSTALL_DEPENDENCIES_COMMAND", "Replaces the Stack dependency installation step.", "haskell"),
        U("CC_DISABLE_MAX_METASPACE", "Drops the JVM MaxMetaspaceSize option.", "java"),
        U("CC_EXTRA_JAVA_ARGS", "Extra JVM arguments.", "java"),
        U("CC_JAR_ARGS", "Arguments passed to the started jar.", "java"),
        U("CC_JAR_PATH", "Path of the jar to start.", "java"),
        U("CC_JAVA_VERSION", "JVM version.", "java"),
        U("CC_MAVEN_PROFILES", "Maven profiles used by the build.", "java"),
        U("CC_SBT_TARGET_BIN", "sbt binary to start.", "java"),
        U("CC_SBT_TARGET_DIR", "Directory holding the sbt binary.", "java"),
        U("CC_ENABLE_SIDEKIQ", "Starts Sidekiq beside a Ruby app.", "ruby"),
        U("CC_RACKUP_SERVER", "Rack server of a Ruby app.", "ruby"),
        U("CC_RAKEGOALS", "rake goals run at deployment, comma-separated.", "ruby"),
        U("CC_RUBY_VERSION", "Ruby version.", "ruby"),
        U("CC_SIDEKIQ_FILES", "Sidekiq configuration files, comma-separated.", "ruby"),
        U("CC_RUSTUP_CHANNEL", "Rust toolchain channel or version.", "rust"),
        U("CC_RUST_BIN", "Rust binary to start.", "rust"),
        U("CC_RUST_FEATURES", "Cargo features to enable.", "rust"),

        // Add-on helpers.
        U("CC_ENABLE_MYSQL_PROXYSQL", "Starts a local ProxySQL in front of a MySQL add-on."),
        U("CC_MYSQL_PROXYSQL_MAX_CONNECTIONS", "Most connections ProxySQL opens to MySQL."),
        U("CC_MYSQL_PROXYSQL_USE_TLS", "Whether ProxySQL uses TLS to MySQL."),
        U("CC_MYSQL_PROXYSQL_SOCKET_PATH", "Socket of the local ProxySQL."),
        U("CC_ENABLE_PGPOOL", "Starts a local Pgpool-II in front of a PostgreSQL add-on."),
        .. PgpoolSettings().Select(n => U(n, "Pgpool-II setting (see Pgpool-II's documentation of the same name).")),
        U("CC_BLACKFIRE_SERVER_TOKEN", "Blackfire server token.", secret: true),
        U("CC_BLACKFIRE_SERVER_ID", "Blackfire server id."),
        U("CC_BLACKFIRE_LOG_LEVEL", "Blackfire agent log level."),
        U("CC_BLACKFIRE_MEMORY_LIMIT", "Blackfire agent memory limit, in MiB."),
        U("CC_BLACKFIRE_COLLECTOR", "Blackfire collector URL."),
        U("CC_BLACKFIRE_TIMEOUT", "Blackfire API timeout."),
        U("CC_BLACKFIRE_STATSD", "statsd server for Blackfire agent statistics."),
        U("CC_BLACKFIRE_STATSD_PREFIX", "statsd prefix for Blackfire agent statistics."),
        U("CC_NEWRELIC_BROWSER_MONITORING_AUTO_INSTRUMENT", "New Relic browser monitoring auto-instrumentation."),
        U("CC_NEWRELIC_DISTRIBUTED_TRACING_ENABLED", "New Relic distributed tracing."),
        U("CC_NEWRELIC_ERROR_COLLECTOR_ENABLED", "New Relic error collector."),
        U("CC_NEWRELIC_TRANSACTION_TRACER_ENABLED", "New Relic transaction tracer."),
        U("CC_NEWRELIC_TRANSACTION_TRACER_RECORD_SQL", "How New Relic records SQL in traces."),
    ];

    private static IEnumerable<string> PgpoolSettings() =>
    [
        "CC_PGPOOL_SOCKET_PATH", "CC_PGPOOL_PCP_SOCKET_PATH", "CC_PGPOOL_EXTRA_USERS", "CC_PGPOOL_RESERVED_CONNECTIONS",
        "CC_PGPOOL_LISTEN_BACKLOG_MULTIPLIER", "CC_PGPOOL_LEADER_WEIGHT", "CC_PGPOOL_NUM_INIT_CHILDREN", "CC_PGPOOL_MAX_POOL",
        "CC_PGPOOL_CHILD_LIFE_TIME", "CC_PGPOOL_CHILD_MAX_CONNECTIONS", "CC_PGPOOL_CONNECTION_LIFE_TIME", "CC_PGPOOL_CLIENT_IDLE_LIMIT",
        "CC_PGPOOL_LOG_CONNECTIONS", "CC_PGPOOL_LOG_DISCONNECTIONS", "CC_PGPOOL_LOG_HOSTNAME", "CC_PGPOOL_LOG_STATEMENT",
        "CC_PGPOOL_LOG_PER_NODE_STATEMENT", "CC_PGPOOL_LOG_CLIENT_MESSAGES", "CC_PGPOOL_LOG_STANDBY_DELAY", "CC_PGPOOL_CONNECTION_CACHE",
        "CC_PGPOOL_REPLICATE_SELECT", "CC_PGPOOL_INSERT_LOCK", "CC_PGPOOL_LOBJ_LOCK_TABLE", "CC_PGPOOL_REPLICATION_STOP_ON_MISMATCH",
        "CC_PGPOOL_FAILOVER_IF_AFFECTED_TUPLES_MISMATCH", "CC_PGPOOL_LOAD_BALANCE_MODE", "CC_PGPOOL_IGNORE_LEADING_WHITE_SPACE",
        "CC_PGPOOL_READ_ONLY_FUNCTION_LIST", "CC_PGPOOL_WRITE_FUNCTION_LIST", "CC_PGPOOL_PRIMARY_ROUTING_QUERY_PATTERN_LIST",
        "CC_PGPOOL_DATABASE_REDIRECT_PREFERENCE_LIST", "CC_PGPOOL_APP_NAME_REDIRECT_PREFERENCE_LIST", "CC_PGPOOL_ALLOW_SQL_COMMENTS",
        "CC_PGPOOL_DISABLE_LOAD_BALANCE_ON_WRITE", "CC_PGPOOL_DML_ADAPTIVE_OBJECT_RELATIONSHIP_LIST", "CC_PGPOOL_STATEMENT_LEVEL_LOAD_BALANCE",
        "CC_PGPOOL_SR_CHECK_PERIOD", "CC_PGPOOL_DELAY_THRESHOLD", "CC_PGPOOL_HEALTH_CHECK_PERIOD", "CC_PGPOOL_HEALTH_CHECK_TIMEOUT",
        "CC_PGPOOL_HEALTH_CHECK_MAX_RETRIES", "CC_PGPOOL_HEALTH_CHECK_RETRY_DELAY", "CC_PGPOOL_CONNECT_TIMEOUT", "CC_PGPOOL_MEMORY_CACHE_ENABLED",
        "CC_PGPOOL_MEMQCACHE_TOTAL_SIZE", "CC_PGPOOL_MEMQCACHE_MAX_NUM_CACHE", "CC_PGPOOL_MEMQCACHE_EXPIRE",
        "CC_PGPOOL_MEMQCACHE_AUTO_CACHE_INVALIDATION", "CC_PGPOOL_MEMQCACHE_MAXCACHE", "CC_PGPOOL_MEMQCACHE_CACHE_BLOCK_SIZE",
        "CC_PGPOOL_CACHE_SAFE_MEMQCACHE_TABLE_LIST", "CC_PGPOOL_CACHE_UNSAFE_MEMQCACHE_TABLE_LIST",
    ];

    private static VariableDefinition<string> U(string name, string description, params string[] runtimes) =>
        U(name, description, runtimes, secret: false);

    private static VariableDefinition<string> U(string name, string description, string runtime, bool secret) =>
        U(name, description, [runtime], secret);

    private static VariableDefinition<string> U(string name, string description, bool secret, bool indexed = false) =>
        new(name, TextType.Any, description)
        {
            Status = VariableStatus.RecognisedUnsupported,
            Secret = secret,
            Indexed = indexed,
        };

    private static VariableDefinition<string> U(string name, string description, string[] runtimes, bool secret) =>
        new(name, TextType.Any, description)
        {
            Status = VariableStatus.RecognisedUnsupported,
            Runtimes = runtimes,
            Secret = secret,
        };
}
