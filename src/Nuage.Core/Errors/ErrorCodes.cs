namespace Nuage.Core.Errors;

/// <summary>
/// Every stable error <c>code</c> Nuage answers with (problem+json on the REST API, the CLI's message, MCP tool errors'
/// logs), with its meaning, HTTP status and CLI exit code. Clients rely on these: never rename one. docs/errors.md
/// is generated from <see cref="All"/> (ErrorDocsTests); add a code here, then regenerate it.
/// </summary>
public static class ErrorCodes
{
    /// <summary>a field of the request is refused (the errors list names it)</summary>
    public const string InvalidInput = "invalid_input";

    /// <summary>the body is not valid JSON for this endpoint</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>the request is malformed (bad header, unreadable body)</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>the request body is larger than this endpoint accepts</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>no endpoint answers this method and path</summary>
    public const string NotFound = "not_found";

    /// <summary>no token, or the token is unknown, revoked or expired</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>the token's role may not do this</summary>
    public const string Forbidden = "forbidden";

    /// <summary>the MCP endpoint refused the request's Host header (DNS-rebinding protection)</summary>
    public const string HostNotAllowed = "host_not_allowed";

    /// <summary>the MCP endpoint refused the request's Origin header</summary>
    public const string OriginNotAllowed = "origin_not_allowed";

    /// <summary>too many MCP calls for this token; retry after the time in the message</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>the server failed unexpectedly; its log has the details</summary>
    public const string InternalError = "internal_error";

    /// <summary>(CLI only) the server answered an error without a problem document</summary>
    public const string HttpError = "http_error";

    /// <summary>the app's name, runtime or flavor is refused</summary>
    public const string InvalidApp = "invalid_app";

    /// <summary>an app with this name already exists</summary>
    public const string AppExists = "app_exists";

    /// <summary>no app has this name</summary>
    public const string AppNotFound = "app_not_found";

    /// <summary>the app is stopped; start it first</summary>
    public const string AppStopped = "app_stopped";

    /// <summary>the instance count or flavor is refused</summary>
    public const string InvalidScale = "invalid_scale";

    /// <summary>a deployment variable's value is refused (checked when set and before every deployment)</summary>
    public const string InvalidVariable = "invalid_variable";

    /// <summary>the app has no variable with this name</summary>
    public const string VariableNotFound = "variable_not_found";

    /// <summary>the name is not a variable Nuage knows</summary>
    public const string VariableUnknown = "variable_unknown";

    /// <summary>a line of the imported .env file cannot be parsed</summary>
    public const string InvalidDotenv = "invalid_dotenv";

    /// <summary>the token's name, role or expiry is refused</summary>
    public const string InvalidTokenRequest = "invalid_token_request";

    /// <summary>no token has this id</summary>
    public const string TokenNotFound = "token_not_found";

    /// <summary>the domain name is refused</summary>
    public const string InvalidDomain = "invalid_domain";

    /// <summary>the domain's certificate or key cannot be used</summary>
    public const string InvalidCertificate = "invalid_certificate";

    /// <summary>another app already serves this domain</summary>
    public const string DomainInUse = "domain_in_use";

    /// <summary>the app has no such domain</summary>
    public const string DomainNotFound = "domain_not_found";

    /// <summary>the drain's type, URL or options are refused</summary>
    public const string InvalidDrain = "invalid_drain";

    /// <summary>the app has no drain with this id</summary>
    public const string DrainNotFound = "drain_not_found";

    /// <summary>a logs filter (time, source, limit…) is refused</summary>
    public const string InvalidLogsQuery = "invalid_logs_query";

    /// <summary>an MCP tool argument is refused (the message names it and what is accepted)</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>the MCP idempotency key was already used with other arguments</summary>
    public const string IdempotencyKeyReused = "idempotency_key_reused";

    /// <summary>the deployment request is refused (source, commit, message)</summary>
    public const string InvalidDeployment = "invalid_deployment";

    /// <summary>the app has no deployment with this id</summary>
    public const string DeploymentNotFound = "deployment_not_found";

    /// <summary>the app has no release yet; deploy one first</summary>
    public const string NoRelease = "no_release";

    /// <summary>the app has no earlier release to roll back to</summary>
    public const string NoPreviousRelease = "no_previous_release";

    /// <summary>that deployment's release is no longer retained; deploy again</summary>
    public const string ReleaseUnavailable = "release_unavailable";

    /// <summary>no successful deployment of this commit among the recent ones</summary>
    public const string ReleaseNotFound = "release_not_found";

    /// <summary>the release directory already exists (a deployment id was reused)</summary>
    public const string ReleaseExists = "release_exists";

    /// <summary>the uploaded tar is unsafe or malformed (the errors list names the entry)</summary>
    public const string InvalidArchive = "invalid_archive";

    /// <summary>the upload, or what it expands to, is larger than the server accepts</summary>
    public const string ArchiveTooLarge = "archive_too_large";

    /// <summary>APP_FOLDER does not name a folder inside the release</summary>
    public const string InvalidAppFolder = "invalid_app_folder";

    /// <summary>the chosen runtime is not one Nuage knows</summary>
    public const string InvalidRuntime = "invalid_runtime";

    /// <summary>no runtime marker file found in the source (set the app's runtime)</summary>
    public const string RuntimeNotDetected = "runtime_not_detected";

    /// <summary>the runtime's tools are not installed on this server</summary>
    public const string RuntimeUnavailable = "runtime_unavailable";

    /// <summary>the build settings of the source or variables are refused</summary>
    public const string InvalidBuild = "invalid_build";

    /// <summary>a line of the Procfile is refused</summary>
    public const string InvalidProcfile = "invalid_procfile";

    /// <summary>a build step exited with an error (its output is in the deployment's log)</summary>
    public const string BuildFailed = "build_failed";

    /// <summary>a deployment hook exited with an error</summary>
    public const string HookFailed = "hook_failed";

    /// <summary>the app's task (CC_TASK) exited with a non-zero code</summary>
    public const string TaskFailed = "task_failed";

    /// <summary>the new instances did not pass their health check in time</summary>
    public const string Unhealthy = "unhealthy";

    /// <summary>the platform built an instance the scheduler refuses (a bug: report it)</summary>
    public const string InvalidInstanceSpec = "invalid_instance_spec";

    /// <summary>the platform asked for a build sandbox the scheduler refuses (a bug: report it)</summary>
    public const string InvalidBuildSandbox = "invalid_build_sandbox";

    /// <summary>an instance with this id is already running</summary>
    public const string InstanceExists = "instance_exists";

    /// <summary>the scheduler knows no instance with this id</summary>
    public const string InstanceNotFound = "instance_not_found";

    /// <summary>the instance's process could not be started</summary>
    public const string InstanceStartFailed = "instance_start_failed";

    /// <summary>the app's files could not be handed to its uid</summary>
    public const string InstancePermissionsFailed = "instance_permissions_failed";

    /// <summary>the pre-run hook (CC_PRE_RUN_HOOK) exited with an error</summary>
    public const string PreRunHookFailed = "pre_run_hook_failed";

    /// <summary>the app sandbox (bubblewrap, cgroups) is missing on this server</summary>
    public const string SandboxUnavailable = "sandbox_unavailable";

    /// <summary>no free loopback port was found for a new instance</summary>
    public const string NoFreePort = "no_free_port";

    /// <summary>a server option (flag) is refused at startup</summary>
    public const string InvalidOption = "invalid_option";

    /// <summary>a build option is refused at startup</summary>
    public const string InvalidBuildOptions = "invalid_build_options";

    /// <summary>a scheduler option is refused at startup</summary>
    public const string InvalidSchedulerOptions = "invalid_scheduler_options";

    /// <summary>a router option is refused at startup</summary>
    public const string InvalidRouterOptions = "invalid_router_options";

    /// <summary>the router process (--router process) did not start or does not answer on its control socket</summary>
    public const string RouterUnavailable = "router_unavailable";

    /// <summary>another router process already serves this data directory</summary>
    public const string RouterAlreadyRunning = "router_already_running";

    /// <summary>a request-flow setting (redirect rule, header, canonical host) or protection setting is refused; the message names the field</summary>
    public const string InvalidFlow = "invalid_flow";

    /// <summary>the app's basic-auth protection has no such user</summary>
    public const string ProtectionUserNotFound = "protection_user_not_found";

    /// <summary>the platform published a route the router refuses (a bug: report it)</summary>
    public const string InvalidRoute = "invalid_route";

    /// <summary>a log store option is refused at startup</summary>
    public const string InvalidLogOptions = "invalid_log_options";

    /// <summary>a drain option is refused at startup</summary>
    public const string InvalidDrainOptions = "invalid_drain_options";

    /// <summary>The catalogue, in documentation order.</summary>
    /// <summary>the app's variables together exceed the size cap (the message names the total and the cap)</summary>
    public const string EnvTooLarge = "env_too_large";

    /// <summary>the app already has the most uploads waiting for their deployment; retry once one has run</summary>
    public const string UploadQueueFull = "upload_queue_full";

    /// <summary>uploads waiting for their deployment already take the most bytes the server allows; retry later</summary>
    public const string UploadSpaceFull = "upload_space_full";

    /// <summary>the upload could not be unpacked into a release (the message names the entry)</summary>
    public const string UnpackFailed = "unpack_failed";

    /// <summary>a part of the data directory is full (the message names which); free space and retry</summary>
    public const string InsufficientStorage = "insufficient_storage";

    /// <summary>another Nuage server on this machine claimed the instance's network address</summary>
    public const string InstanceAddressTaken = "instance_address_taken";

    /// <summary>instances cannot get a network namespace each here (the message names what is missing, or use --insecure-host-network)</summary>
    public const string NetworkIsolationUnavailable = "network_isolation_unavailable";

    /// <summary>every address of --network-pool is in use; give a larger pool</summary>
    public const string NetworkPoolExhausted = "network_pool_exhausted";

    /// <summary>the instance's network namespace could not be set up (the message says which step failed)</summary>
    public const string InstanceNetworkFailed = "instance_network_failed";

    /// <summary>a console request that changes something lacks the session's CSRF token (reload the console)</summary>
    public const string CsrfFailed = "csrf_failed";
    /// <summary>a field of the add-on request (name, type, plan, version, app) is refused</summary>
    public const string InvalidAddon = "invalid_addon";

    /// <summary>an add-on with this name already exists</summary>
    public const string AddonExists = "addon_exists";

    /// <summary>no add-on has this name</summary>
    public const string AddonNotFound = "addon_not_found";

    /// <summary>the add-on type's Debian package is not installed on this server</summary>
    public const string AddonPackageMissing = "addon_package_missing";

    /// <summary>the add-on's database server did not start (the message has its last lines)</summary>
    public const string AddonStartFailed = "addon_start_failed";

    /// <summary>the add-on is linked to apps; delete with force (CLI --yes) to unlink them</summary>
    public const string AddonLinked = "addon_linked";

    /// <summary>the app is not linked to this add-on</summary>
    public const string AddonLinkNotFound = "addon_link_not_found";

    /// <summary>the backup does not exist, fails its checksum or cannot be read; the live database was not touched</summary>
    public const string AddonBackupInvalid = "addon_backup_invalid";

    /// <summary>a backup or restore of the add-on failed (the message has the tool's error)</summary>
    public const string AddonBackupFailed = "addon_backup_failed";

    /// <summary>the import source URL is refused (scheme, host, user, database or type); the add-on was not touched</summary>
    public const string AddonImportInvalid = "addon_import_invalid";

    /// <summary>an import could not reach or read the source, or the copy failed its row or key counts; the add-on keeps its previous data</summary>
    public const string AddonImportFailed = "addon_import_failed";

    /// <summary>The operation needs a server Nuage runs; this add-on is external (<c>--external</c>).</summary>
    public const string AddonExternal = "addon_external";
    /// <summary>no organisation visible to this token has this name</summary>
    public const string OrgNotFound = "org_not_found";

    /// <summary>an organisation with this name already exists</summary>
    public const string OrgExists = "org_exists";

    /// <summary>the organisation's name is refused</summary>
    public const string InvalidOrg = "invalid_org";

    /// <summary>the organisation still owns apps; the message lists them (repeat with confirm/--yes to delete them too)</summary>
    public const string OrgNotEmpty = "org_not_empty";

    /// <summary>the member's email or role is refused</summary>
    public const string InvalidMember = "invalid_member";

    /// <summary>the user is already a member of the organisation (change their role instead)</summary>
    public const string MemberExists = "member_exists";

    /// <summary>the organisation has no member with this email</summary>
    public const string MemberNotFound = "member_not_found";

    /// <summary>the change would leave the organisation without an admin</summary>
    public const string LastAdmin = "last_admin";

    /// <summary>an audit query parameter is refused</summary>
    public const string InvalidAuditQuery = "invalid_audit_query";

    /// <summary>a usage query parameter is refused (the errors list names it)</summary>
    public const string InvalidUsageQuery = "invalid_usage_query";

    /// <summary>a spending ceiling (budget) is refused (the errors list names the field)</summary>
    public const string InvalidBudget = "invalid_budget";

    /// <summary>the organisation has no spending ceiling</summary>
    public const string BudgetNotFound = "budget_not_found";

    /// <summary>no OpenID Connect issuer is configured on this server, or none has the URL given</summary>
    public const string OidcNotConfigured = "oidc_not_configured";

    /// <summary>the OpenID Connect issuer could not be reached or answered an error (the message names the URL and the reason)</summary>
    public const string OidcIssuerFailed = "oidc_issuer_failed";

    /// <summary>the issuer does not offer the device authorization grant; sign in through a browser instead</summary>
    public const string OidcDeviceUnsupported = "oidc_device_unsupported";

    /// <summary>no device sign-in is pending under this handle (finished, expired or unknown); start again</summary>
    public const string OidcDeviceNotFound = "oidc_device_not_found";

    /// <summary>the device code expired before the user approved the sign-in; start again</summary>
    public const string OidcDeviceExpired = "oidc_device_expired";

    /// <summary>the user refused the sign-in at the identity provider</summary>
    public const string OidcAccessDenied = "oidc_access_denied";

    /// <summary>the ID token was refused; the message names the check that failed (signature, issuer, audience, expiry, nonce)</summary>
    public const string OidcTokenInvalid = "oidc_token_invalid";

    /// <summary>the signed-in user is a member of no organisation (and no group mapping applies); an admin must add them</summary>
    public const string OidcNoMembership = "oidc_no_membership";

    /// <summary>too many device sign-ins are pending on this server; retry later</summary>
    public const string OidcTooManyPending = "oidc_too_many_pending";

    /// <summary>the sign-in's state is unknown, already used, expired or not this browser's (a forged or replayed callback); start again</summary>
    public const string OidcStateInvalid = "oidc_state_invalid";

    /// <summary>the issuer refused the authorization code (expired, already used, or issued for another redirect); start again</summary>
    public const string OidcCodeRefused = "oidc_code_refused";

    /// <summary>too many sign-ins were started from this address; retry after the Retry-After seconds</summary>
    public const string OidcRateLimited = "oidc_rate_limited";

    /// <summary>an OpenID Connect provider is refused: a field is invalid, or its issuer could not be discovered (the errors list names the field, the URL and the reason)</summary>
    public const string InvalidOidcProvider = "invalid_oidc_provider";

    /// <summary>no OpenID Connect provider was added with this issuer</summary>
    public const string OidcProviderNotFound = "oidc_provider_not_found";

    /// <summary>the provider comes from the server's --oidc-issuer flag; change it by restarting the server</summary>
    public const string OidcProviderFromFlags = "oidc_provider_from_flags";

    public static IReadOnlyList<ErrorCode> All { get; } =
    [
        new(InvalidInput, ErrorKind.Invalid, "a field of the request is refused (the errors list names it)"),
        new(InvalidJson, ErrorKind.Invalid, "the body is not valid JSON for this endpoint", 400),
        new(InvalidRequest, ErrorKind.Invalid, "the request is malformed (bad header, unreadable body)", 400),
        new(PayloadTooLarge, ErrorKind.TooLarge, "the request body is larger than this endpoint accepts"),
        new(NotFound, ErrorKind.NotFound, "no endpoint answers this method and path"),
        new(Unauthorized, ErrorKind.Unauthorized, "no token, or the token is unknown, revoked or expired"),
        new(Forbidden, ErrorKind.Forbidden, "the token's role may not do this"),
        new(HostNotAllowed, ErrorKind.Forbidden, "the MCP endpoint refused the request's Host header (DNS-rebinding protection)"),
        new(OriginNotAllowed, ErrorKind.Forbidden, "the MCP endpoint refused the request's Origin header"),
        new(RateLimited, ErrorKind.RateLimited, "too many MCP calls for this token; retry after the time in the message"),
        new(InternalError, ErrorKind.Failed, "the server failed unexpectedly; its log has the details"),
        new(HttpError, ErrorKind.Failed, "(CLI only) the server answered an error without a problem document"),
        new(InvalidApp, ErrorKind.Invalid, "the app's name, runtime or flavor is refused"),
        new(AppExists, ErrorKind.Conflict, "an app with this name already exists"),
        new(AppNotFound, ErrorKind.NotFound, "no app has this name"),
        new(AppStopped, ErrorKind.Conflict, "the app is stopped; start it first"),
        new(InvalidScale, ErrorKind.Invalid, "the instance count or flavor is refused"),
        new(InvalidVariable, ErrorKind.Invalid, "a deployment variable's value is refused (checked when set and before every deployment)"),
        new(VariableNotFound, ErrorKind.NotFound, "the app has no variable with this name"),
        new(VariableUnknown, ErrorKind.NotFound, "the name is not a variable Nuage knows"),
        new(InvalidDotenv, ErrorKind.Invalid, "a line of the imported .env file cannot be parsed"),
        new(InvalidTokenRequest, ErrorKind.Invalid, "the token's name, role or expiry is refused"),
        new(TokenNotFound, ErrorKind.NotFound, "no token has this id"),
        new(InvalidDomain, ErrorKind.Invalid, "the domain name is refused"),
        new(InvalidCertificate, ErrorKind.Invalid, "the domain's certificate or key cannot be used"),
        new(DomainInUse, ErrorKind.Conflict, "another app already serves this domain"),
        new(DomainNotFound, ErrorKind.NotFound, "the app has no such domain"),
        new(InvalidDrain, ErrorKind.Invalid, "the drain's type, URL or options are refused"),
        new(DrainNotFound, ErrorKind.NotFound, "the app has no drain with this id"),
        new(InvalidLogsQuery, ErrorKind.Invalid, "a logs filter (time, source, limit…) is refused"),
        new(InvalidArgument, ErrorKind.Invalid, "an MCP tool argument is refused (the message names it and what is accepted)"),
        new(IdempotencyKeyReused, ErrorKind.Conflict, "the MCP idempotency key was already used with other arguments"),
        new(InvalidDeployment, ErrorKind.Invalid, "the deployment request is refused (source, commit, message)"),
        new(DeploymentNotFound, ErrorKind.NotFound, "the app has no deployment with this id"),
        new(NoRelease, ErrorKind.Conflict, "the app has no release yet; deploy one first"),
        new(NoPreviousRelease, ErrorKind.Conflict, "the app has no earlier release to roll back to"),
        new(ReleaseUnavailable, ErrorKind.Conflict, "that deployment's release is no longer retained; deploy again"),
        new(ReleaseNotFound, ErrorKind.NotFound, "no successful deployment of this commit among the recent ones"),
        new(ReleaseExists, ErrorKind.Conflict, "the release directory already exists (a deployment id was reused)"),
        new(InvalidArchive, ErrorKind.Invalid, "the uploaded tar is unsafe or malformed (the errors list names the entry)"),
        new(ArchiveTooLarge, ErrorKind.TooLarge, "the upload, or what it expands to, is larger than the server accepts"),
        new(InvalidAppFolder, ErrorKind.Invalid, "APP_FOLDER does not name a folder inside the release"),
        new(InvalidRuntime, ErrorKind.Invalid, "the chosen runtime is not one Nuage knows"),
        new(RuntimeNotDetected, ErrorKind.Invalid, "no runtime marker file found in the source (set the app's runtime)"),
        new(RuntimeUnavailable, ErrorKind.Invalid, "the runtime's tools are not installed on this server"),
        new(InvalidBuild, ErrorKind.Invalid, "the build settings of the source or variables are refused"),
        new(InvalidProcfile, ErrorKind.Invalid, "a line of the Procfile is refused"),
        new(BuildFailed, ErrorKind.Failed, "a build step exited with an error (its output is in the deployment's log)"),
        new(HookFailed, ErrorKind.Failed, "a deployment hook exited with an error"),
        new(TaskFailed, ErrorKind.Failed, "the app's task (CC_TASK) exited with a non-zero code"),
        new(Unhealthy, ErrorKind.Failed, "the new instances did not pass their health check in time"),
        new(InvalidInstanceSpec, ErrorKind.Invalid, "the platform built an instance the scheduler refuses (a bug: report it)"),
        new(InvalidBuildSandbox, ErrorKind.Invalid, "the platform asked for a build sandbox the scheduler refuses (a bug: report it)"),
        new(InstanceExists, ErrorKind.Conflict, "an instance with this id is already running"),
        new(InstanceNotFound, ErrorKind.NotFound, "the scheduler knows no instance with this id"),
        new(InstanceStartFailed, ErrorKind.Failed, "the instance's process could not be started"),
        new(InstancePermissionsFailed, ErrorKind.Failed, "the app's files could not be handed to its uid"),
        new(PreRunHookFailed, ErrorKind.Failed, "the pre-run hook (CC_PRE_RUN_HOOK) exited with an error"),
        new(SandboxUnavailable, ErrorKind.Failed, "the app sandbox (bubblewrap, cgroups) is missing on this server"),
        new(NoFreePort, ErrorKind.Failed, "no free loopback port was found for a new instance"),
        new(InvalidOption, ErrorKind.Invalid, "a server option (flag) is refused at startup"),
        new(InvalidBuildOptions, ErrorKind.Invalid, "a build option is refused at startup"),
        new(InvalidSchedulerOptions, ErrorKind.Invalid, "a scheduler option is refused at startup"),
        new(InvalidRouterOptions, ErrorKind.Invalid, "a router option is refused at startup"),
        new(InvalidRoute, ErrorKind.Invalid, "the platform published a route the router refuses (a bug: report it)"),
        new(InvalidLogOptions, ErrorKind.Invalid, "a log store option is refused at startup"),
        new(InvalidDrainOptions, ErrorKind.Invalid, "a drain option is refused at startup"),
        new(EnvTooLarge, ErrorKind.Invalid, "the app's variables together exceed the size cap (the message names the total and the cap)"),
        new(UploadQueueFull, ErrorKind.RateLimited, "the app already has the most uploads waiting for their deployment; retry once one has run"),
        new(UploadSpaceFull, ErrorKind.RateLimited, "uploads waiting for their deployment already take the most bytes the server allows; retry later"),
        new(UnpackFailed, ErrorKind.Invalid, "the upload could not be unpacked into a release (the message names the entry)"),
        new(InsufficientStorage, ErrorKind.Failed, "a part of the data directory is full (the message names which); free space and retry", 507),
        new(InstanceAddressTaken, ErrorKind.Conflict, "another Nuage server on this machine claimed the instance's network address"),
        new(NetworkIsolationUnavailable, ErrorKind.Failed, "instances cannot get a network namespace each here (the message names what is missing, or use --insecure-host-network)"),
        new(NetworkPoolExhausted, ErrorKind.Failed, "every address of --network-pool is in use; give a larger pool"),
        new(InstanceNetworkFailed, ErrorKind.Failed, "the instance's network namespace could not be set up (the message says which step failed)"),
        new(CsrfFailed, ErrorKind.Forbidden, "a console request that changes something lacks the session's CSRF token (reload the console)"),
        new(InvalidAddon, ErrorKind.Invalid, "a field of the add-on request (name, type, plan, version, app) is refused (the errors list names it and what is accepted)"),
        new(AddonExists, ErrorKind.Conflict, "an add-on with this name already exists"),
        new(AddonNotFound, ErrorKind.NotFound, "no add-on has this name"),
        new(AddonPackageMissing, ErrorKind.Failed, "the add-on type's Debian package is not installed on this server (the message names it)"),
        new(AddonStartFailed, ErrorKind.Failed, "the add-on's database server did not start (the message has its last lines)"),
        new(AddonLinked, ErrorKind.Conflict, "the add-on is linked to apps (listed in the message); delete with force (CLI --yes) to unlink them"),
        new(AddonLinkNotFound, ErrorKind.NotFound, "the app is not linked to this add-on"),
        new(AddonBackupInvalid, ErrorKind.Invalid, "the backup does not exist, fails its checksum or cannot be read; the live database was not touched"),
        new(AddonBackupFailed, ErrorKind.Failed, "a backup or restore of the add-on failed (the message has the tool's error)"),
        new(AddonImportInvalid, ErrorKind.Invalid, "the import source URL or dump file is refused (the errors list names the field, the value without its password and what is accepted: a file of the wrong format for the type, too large, or holding client commands such as psql meta-commands); the add-on was not touched"),
        new(AddonImportFailed, ErrorKind.Failed, "an import could not reach or log in to the source, or the copy failed its row or key counts (the table is named); the add-on keeps its previous data"),
        new(AddonExternal, ErrorKind.Conflict, "the add-on is external (--external): Nuage does not run it, so restart, backups, restore, import, rotation and quotas are done on that server itself"),
        new(OrgNotFound, ErrorKind.NotFound, "no organisation visible to this token has this name"),
        new(OrgExists, ErrorKind.Conflict, "an organisation with this name already exists"),
        new(InvalidOrg, ErrorKind.Invalid, "the organisation's name is refused"),
        new(OrgNotEmpty, ErrorKind.Conflict, "the organisation still owns apps; the message lists them (repeat with confirm/--yes to delete them too)"),
        new(InvalidMember, ErrorKind.Invalid, "the member's email or role is refused"),
        new(MemberExists, ErrorKind.Conflict, "the user is already a member of the organisation (change their role instead)"),
        new(MemberNotFound, ErrorKind.NotFound, "the organisation has no member with this email"),
        new(LastAdmin, ErrorKind.Conflict, "the change would leave the organisation without an admin"),
        new(InvalidAuditQuery, ErrorKind.Invalid, "an audit query parameter is refused"),
        new(InvalidUsageQuery, ErrorKind.Invalid, "a usage query parameter is refused (the errors list names it)"),
        new(InvalidBudget, ErrorKind.Invalid, "a spending ceiling (budget) is refused (the errors list names the field)"),
        new(BudgetNotFound, ErrorKind.NotFound, "the organisation has no spending ceiling"),
        new(OidcNotConfigured, ErrorKind.NotFound, "no OpenID Connect issuer is configured on this server, or none has the URL given"),
        new(OidcIssuerFailed, ErrorKind.Failed, "the OpenID Connect issuer could not be reached or answered an error (the message names the URL and the reason)", 502),
        new(OidcDeviceUnsupported, ErrorKind.Conflict, "the issuer does not offer the device authorization grant; sign in through a browser instead"),
        new(OidcDeviceNotFound, ErrorKind.NotFound, "no device sign-in is pending under this handle (finished, expired or unknown); start again"),
        new(OidcDeviceExpired, ErrorKind.Unauthorized, "the device code expired before the user approved the sign-in; start again"),
        new(OidcAccessDenied, ErrorKind.Unauthorized, "the user refused the sign-in at the identity provider"),
        new(OidcTokenInvalid, ErrorKind.Unauthorized, "the ID token was refused; the message names the check that failed (signature, issuer, audience, expiry, nonce)"),
        new(OidcNoMembership, ErrorKind.Forbidden, "the signed-in user is a member of no organisation (and no group mapping applies); an admin must add them"),
        new(OidcTooManyPending, ErrorKind.RateLimited, "too many device sign-ins are pending on this server; retry later"),
        new(OidcStateInvalid, ErrorKind.Unauthorized, "the sign-in's state is unknown, already used, expired or not this browser's (a forged or replayed callback); start again"),
        new(OidcCodeRefused, ErrorKind.Unauthorized, "the issuer refused the authorization code (expired, already used, or issued for another redirect); start again"),
        new(OidcRateLimited, ErrorKind.RateLimited, "too many sign-ins were started from this address; retry after the Retry-After seconds"),
        new(InvalidOidcProvider, ErrorKind.Invalid, "an OpenID Connect provider is refused: a field is invalid, or its issuer could not be discovered (the errors list names the field, the URL and the reason)", 400),
        new(OidcProviderNotFound, ErrorKind.NotFound, "no OpenID Connect provider was added with this issuer"),
        new(OidcProviderFromFlags, ErrorKind.Conflict, "the provider comes from the server's --oidc-issuer flag; change it by restarting the server"),
        new(RouterUnavailable, ErrorKind.Failed, "the router process did not start or does not answer on its control socket (see logs/router/router.log)"),
        new(RouterAlreadyRunning, ErrorKind.Conflict, "a router process already serves this data directory; stop it first"),
        new(InvalidFlow, ErrorKind.Invalid, "a request-flow setting (redirect rule, header, canonical host) or protection setting is refused; the message names the field"),
        new(ProtectionUserNotFound, ErrorKind.NotFound, "the app's basic-auth protection has no such user"),
    ];

    /// <summary>The catalogue entry of a code, or null when the code is not one of ours.</summary>
    public static ErrorCode? Find(string? code) => code is null ? null : All.FirstOrDefault(e => e.Code == code);
}

/// <summary>One stable error code.</summary>
/// <param name="HttpStatusOverride">The HTTP status when it differs from the kind's (e.g. 400 for unreadable JSON).</param>
public sealed record ErrorCode(string Code, ErrorKind Kind, string Meaning, int? HttpStatusOverride = null)
{
    public int HttpStatus => HttpStatusOverride ?? ErrorKinds.Of(Kind).HttpStatus;

    public int ExitCode => ErrorKinds.Of(Kind).ExitCode;

    public string McpCode => ErrorKinds.Of(Kind).McpCode;
}
