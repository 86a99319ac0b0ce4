//! Schema migrations, versioned with `PRAGMA user_version`. Append new steps; never edit old ones.

use rusqlite::Connection;

const STEPS: &[&str] = &[
    // 1: initial schema
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL UNIQUE,
        full_name TEXT,
        status TEXT NOT NULL DEFAULT 'active',
        password_hash TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        description TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE deployments (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        label TEXT NOT NULL,
        description TEXT,
        release_name TEXT NOT NULL UNIQUE,
        executor TEXT NOT NULL,
        airflow_version TEXT NOT NULL,
        desired_airflow_version TEXT NOT NULL,
        version TEXT NOT NULL,
        config TEXT NOT NULL,
        properties TEXT NOT NULL,
        deploy_count INTEGER NOT NULL DEFAULT 0,
        deploying_until INTEGER NOT NULL DEFAULT 0,
        unhealthy INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX deployments_ws ON deployments(workspace_id, created_at);
    CREATE TABLE env_vars (
        deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        is_secret INTEGER NOT NULL,
        PRIMARY KEY (deployment_id, key)
    );
    CREATE TABLE service_accounts (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        category TEXT,
        key_hash TEXT NOT NULL UNIQUE,
        key_prefix TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        last_used_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE role_bindings (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
        service_account_id TEXT REFERENCES service_accounts(id) ON DELETE CASCADE,
        workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
        deployment_id TEXT REFERENCES deployments(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX rb_user ON role_bindings(user_id);
    CREATE INDEX rb_sa ON role_bindings(service_account_id);
    CREATE INDEX rb_ws ON role_bindings(workspace_id);
    CREATE INDEX rb_dep ON role_bindings(deployment_id);
    CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        role TEXT NOT NULL,
        token TEXT NOT NULL UNIQUE,
        workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE logs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
        component TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        level TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE INDEX logs_dep_ts ON logs(deployment_id, ts_ms);
    CREATE INDEX logs_dep_comp ON logs(deployment_id, component, id);
    "#,
    // 2: teams (IdP groups) and their role bindings, Astro Runtime versions, pre-created
    // namespaces, adopted deployments, suspended workspaces
    r#"
    CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        sort_id INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE team_members (
        team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (team_id, user_id)
    );
    CREATE INDEX team_members_user ON team_members(user_id);
    ALTER TABLE role_bindings ADD COLUMN team_id TEXT REFERENCES teams(id) ON DELETE CASCADE;
    CREATE INDEX rb_team ON role_bindings(team_id);
    ALTER TABLE deployments ADD COLUMN runtime_version TEXT;
    ALTER TABLE deployments ADD COLUMN desired_runtime_version TEXT;
    ALTER TABLE deployments ADD COLUMN namespace TEXT;
    ALTER TABLE deployments ADD COLUMN adopted INTEGER NOT NULL DEFAULT 0;
    CREATE UNIQUE INDEX deployments_namespace ON deployments(namespace) WHERE namespace IS NOT NULL;
    ALTER TABLE workspaces ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
    "#,
    // Astro Private Cloud: data-plane clusters, where each deployment lives, and the
    // workspace and deployment tiers of the config (`db::clusters`).
    r#"
    CREATE TABLE clusters (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        metadata_url TEXT NOT NULL UNIQUE,
        k8s_version TEXT NOT NULL,
        cloud_provider TEXT NOT NULL,
        status TEXT NOT NULL,
        status_reason TEXT,
        config TEXT NOT NULL,
        sort_id INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE deployment_cluster (
        deployment_id TEXT PRIMARY KEY REFERENCES deployments(id) ON DELETE CASCADE,
        cluster_id TEXT NOT NULL REFERENCES clusters(id),
        mode TEXT NOT NULL DEFAULT 'helm',
        config TEXT
    );
    CREATE INDEX deployment_cluster_cluster ON deployment_cluster(cluster_id);
    CREATE TABLE workspace_config (
        workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        config TEXT NOT NULL
    );
    "#,
];

/// The schema version a fully migrated database has.
#[cfg(test)]
pub const LATEST: i64 = STEPS.len() as i64;

pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in STEPS.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= current {
            continue;
        }
        // Each step and its version bump commit together.
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {sql}; PRAGMA user_version = {version}; COMMIT;"
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database created before teams and Runtime keeps its rows, which get the new columns'
    /// defaults.
    #[test]
    fn a_first_version_database_is_upgraded_in_place() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(&format!("{}; PRAGMA user_version = 1;", STEPS[0]))
            .unwrap();
        conn.execute_batch(
            "INSERT INTO workspaces VALUES ('w1', 'Old', NULL, 't', 't');
             INSERT INTO deployments (id, workspace_id, label, release_name, executor, airflow_version,
               desired_airflow_version, version, config, properties, created_at, updated_at)
             VALUES ('d1', 'w1', 'Old', 'old-release-1', 'LocalExecutor', '2.9.2', '2.9.2', '1.10.0', '{}', '{}', 't', 't');
             INSERT INTO role_bindings (id, role, workspace_id, created_at, updated_at)
             VALUES ('b1', 'WORKSPACE_ADMIN', 'w1', 't', 't');",
        )
        .unwrap();
        migrate(&conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST);
        let (runtime, namespace, adopted): (Option<String>, Option<String>, bool) = conn
            .query_row(
                "SELECT runtime_version, namespace, adopted FROM deployments WHERE id = 'd1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((runtime, namespace, adopted), (None, None, false));
        let active: bool = conn
            .query_row("SELECT active FROM workspaces WHERE id = 'w1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(active);
        let team: Option<String> = conn
            .query_row(
                "SELECT team_id FROM role_bindings WHERE id = 'b1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(team, None);
        // Running the migrations again changes nothing.
        migrate(&conn).unwrap();
    }
}
