namespace Nuage.State.Sqlite;

/// <summary>
/// Numbered schema migrations. Append only: a released migration is never edited, so every database,
/// whatever version it was created at, reaches the same schema. The version lives in PRAGMA user_version.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<string> All { get; } =
    [
        // 1: apps, their variables (sealed values) and API tokens.
        """
        CREATE TABLE apps (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            runtime TEXT NOT NULL,
            flavor TEXT NOT NULL,
            instances INTEGER NOT NULL,
            running INTEGER NOT NULL DEFAULT 1,
            current_deployment_id TEXT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE env (
            app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            sealed_value BLOB NOT NULL,
            PRIMARY KEY (app_id, name)
        );
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            secret_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            description TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NULL,
            revoked_at TEXT NULL
        );
        """,

        // 2: deployments with their stages, instances remembered across restarts, a uid index per app.
        """
        ALTER TABLE apps ADD COLUMN uid_index INTEGER NOT NULL DEFAULT 0;
        UPDATE apps SET uid_index = (SELECT COUNT(*) FROM apps AS earlier WHERE earlier.created_at < apps.created_at OR (earlier.created_at = apps.created_at AND earlier.id < apps.id));
        CREATE TABLE deployments (
            id TEXT PRIMARY KEY,
            app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            commit_id TEXT NULL,
            commit_message TEXT NULL,
            source_deployment_id TEXT NULL,
            release_built INTEGER NOT NULL DEFAULT 0,
            start_plan TEXT NULL,
            created_at TEXT NOT NULL,
            started_at TEXT NULL,
            finished_at TEXT NULL,
            failed_stage TEXT NULL,
            failure_reason TEXT NULL,
            stages TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX deployments_by_app ON deployments(app_id, id);
        CREATE TABLE instances (
            instance_id TEXT PRIMARY KEY,
            app_id TEXT NOT NULL,
            deployment_id TEXT NOT NULL,
            spec TEXT NOT NULL,
            state TEXT NOT NULL
        );
        """,

        // 3: custom domains of apps, with their HTTPS certificate and sealed private key.
        """
        CREATE TABLE domains (
            domain TEXT PRIMARY KEY,
            app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
            certificate_pem TEXT NULL,
            sealed_key BLOB NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX domains_by_app ON domains(app_id, domain);
        """,

        // 4: log drain definitions (moved from logs/drains.db; cursors stay with the log store). No foreign key to
        // apps: deleting an app deletes its drains explicitly, after stopping their delivery.
        """
        CREATE TABLE drains (
            id TEXT PRIMARY KEY,
            app_id TEXT NOT NULL,
            app_name TEXT NOT NULL,
            type TEXT NOT NULL,
            url TEXT NOT NULL,
            username TEXT NULL,
            sealed_password TEXT NULL,
            sealed_token TEXT NULL,
            sd_params TEXT NULL,
            enabled INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX drains_by_app ON drains(app_id, created_at);
        """,

        // 5: add-ons (managed databases) with their sealed password and instance spec, links to apps, backups.
        // No foreign key from links to apps: deleting an app removes its links explicitly.
        """
        CREATE TABLE addons (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            version TEXT NOT NULL,
            plan TEXT NOT NULL,
            uid_index INTEGER NOT NULL,
            username TEXT NOT NULL,
            database_name TEXT NOT NULL,
            sealed_password BLOB NOT NULL,
            sealed_spec BLOB NULL,
            state TEXT NULL,
            last_error TEXT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE addon_links (
            addon_id TEXT NOT NULL REFERENCES addons(id) ON DELETE CASCADE,
            app_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (addon_id, app_id)
        );
        CREATE INDEX addon_links_by_app ON addon_links(app_id);
        CREATE TABLE addon_backups (
            id TEXT NOT NULL,
            addon_id TEXT NOT NULL REFERENCES addons(id) ON DELETE CASCADE,
            file TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (addon_id, id)
        );
        """,

        // 6: identity (issue #14): organisations, users,
        // memberships, personal tokens and the hash-chained audit trail. A single-organisation install moves into
        // the `default` organisation: its apps and its non-admin tokens; its admin tokens become platform operators.
        """
        CREATE TABLE orgs (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE org_members (
            org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (org_id, user_id)
        );
        CREATE INDEX org_members_by_user ON org_members(user_id);
        INSERT INTO orgs (id, name, created_at) VALUES ('org_default', 'default', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
        ALTER TABLE apps ADD COLUMN org_id TEXT NOT NULL DEFAULT 'org_default';
        CREATE INDEX apps_by_org ON apps(org_id, name);
        ALTER TABLE addons ADD COLUMN org_id TEXT NOT NULL DEFAULT 'org_default';
        CREATE INDEX addons_by_org ON addons(org_id, name);
        ALTER TABLE tokens ADD COLUMN org_id TEXT NULL;
        ALTER TABLE tokens ADD COLUMN user_id TEXT NULL;
        ALTER TABLE tokens ADD COLUMN operator INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tokens ADD COLUMN last_used_at TEXT NULL;
        UPDATE tokens SET operator = 1 WHERE role = 'Admin';
        UPDATE tokens SET org_id = 'org_default' WHERE operator = 0;
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            org_id TEXT NULL,
            entry_point TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NULL,
            request_id TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_by_org ON audit(org_id, seq);
        CREATE INDEX audit_by_target ON audit(target, seq);
        """,

        // 7: scheduled add-on backups: each add-on's schedule and retention (existing add-ons get the defaults),
        // which backups the schedule took (only those are pruned), and the schedule's last outcome and next run.
        """
        ALTER TABLE addons ADD COLUMN backup_schedule TEXT NOT NULL DEFAULT 'daily@03:00';
        ALTER TABLE addons ADD COLUMN backup_retention INTEGER NOT NULL DEFAULT 7;
        ALTER TABLE addon_backups ADD COLUMN scheduled INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE addon_backup_runs (
            addon_id TEXT PRIMARY KEY REFERENCES addons(id) ON DELETE CASCADE,
            next_at TEXT NOT NULL,
            last_success_at TEXT NULL,
            last_failure_at TEXT NULL,
            last_error TEXT NULL,
            failures INTEGER NOT NULL DEFAULT 0
        );
        """,

        // 8: OpenID Connect (issue #14): the sealed refresh token behind each session, memberships granted by a group
        // mapping (taken back when the group goes), and providers added with 'nuage auth provider add'.
        """
        CREATE TABLE oidc_sessions (
            token_id TEXT PRIMARY KEY REFERENCES tokens(id) ON DELETE CASCADE,
            issuer TEXT NOT NULL,
            user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            sealed_refresh_token BLOB NULL,
            refreshed_at TEXT NOT NULL
        );
        CREATE TABLE oidc_grants (
            org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            previous_role TEXT NULL,
            PRIMARY KEY (org_id, user_id)
        );
        CREATE TABLE oidc_providers (
            issuer TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            sealed_client_secret BLOB NULL,
            name TEXT NULL,
            group_roles TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,

        // 9: request flow (issue #17): ACME accounts and per-domain certificate state, per-app flow settings.
        """
        CREATE TABLE acme_accounts (
            directory TEXT PRIMARY KEY,
            email TEXT NOT NULL,
            account_url TEXT NOT NULL,
            sealed_key BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE acme_domains (
            domain TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            not_after TEXT NULL,
            next_attempt_at TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE app_flow (
            app_id TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
            config TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,

        // 10: usage metering and spending ceilings (issue #18). One row per running interval of an instance (times in
        // Unix milliseconds; at most one open interval per instance); one monthly budget per organisation (the amount
        // as text so it round-trips exactly). Usage is history: no foreign keys, rows outlive their app and org.
        """
        CREATE TABLE usage_intervals (
            id INTEGER PRIMARY KEY,
            instance_id TEXT NOT NULL,
            subject_kind TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            subject_name TEXT NOT NULL,
            org_id TEXT NOT NULL,
            flavor TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            ended_at INTEGER NULL
        );
        CREATE UNIQUE INDEX usage_open_by_instance ON usage_intervals(instance_id) WHERE ended_at IS NULL;
        CREATE INDEX usage_by_org ON usage_intervals(org_id, started_at);
        CREATE TABLE org_budgets (
            org_id TEXT PRIMARY KEY,
            monthly TEXT NOT NULL,
            hard_stop INTEGER NOT NULL DEFAULT 0,
            warned_month TEXT NULL,
            warned_level INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        """,

        // 11 (autoscale): per-app autoscaling policy (issue #18), one JSON document per app, deleted with the app.
        """
        CREATE TABLE app_autoscale (
            app_id TEXT PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
            config TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,

        // 12 (oidc provider scopes, issue #14): the scopes 'nuage auth provider add --scopes' asks for (NULL: the default).
        """
        ALTER TABLE oidc_providers ADD COLUMN scopes TEXT NULL;
        """,

        // 13 (addons4): external add-ons (issue #13, --external URL): the server's host and port; null for a managed server.
        """
        ALTER TABLE addons ADD COLUMN external_host TEXT NULL;
        ALTER TABLE addons ADD COLUMN external_port INTEGER NULL;
        """,
    ];

    public static int Latest => All.Count;
}
