//! The `demo` seed: realistic users, workspaces, deployments (two on Astro Runtime, one with
//! an upgrade pending), teams, env vars, service accounts and invites (log lines need no
//! seeding: `sim::logs` computes them). Deterministic except passwords, keys, ids and
//! timestamps.

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;

use crate::auth;
use crate::db::Db;
use crate::db::store::{self, DeploymentRow, EnvRow, NewBinding};
use crate::db::teams;
use crate::error::Error;
use crate::rbac::Role;
use crate::resources;
use crate::schema::types::CHART_VERSION;
use crate::validation;

pub mod clusters;

pub const ADMIN_EMAIL: &str = "admin@astrodash.local";

struct Dep {
    ws: usize,
    label: &'static str,
    description: &'static str,
    executor: &'static str,
    airflow: &'static str,
    desired: &'static str,
    deploys: i64,
    state: &'static str,
    env: &'static [(&'static str, &'static str, bool)],
    /// (running, desired) Astro Runtime versions; None for Astronomer Certified images.
    runtime: Option<(&'static str, &'static str)>,
}

const WORKSPACES: &[(&str, &str)] = &[
    (
        "Data Platform",
        "Core ingestion and transformation pipelines",
    ),
    ("Marketing Analytics", "Campaign attribution and reporting"),
    ("ML Research", "Feature pipelines and model training"),
    ("Sandbox", "Experiments; anything here may be deleted"),
];

const DEPLOYMENTS: &[Dep] = &[
    Dep {
        ws: 0,
        label: "Core ETL",
        description: "Nightly warehouse loads",
        executor: "CeleryExecutor",
        airflow: "2.9.2",
        desired: "2.9.2",
        deploys: 14,
        state: "HEALTHY",
        env: &[
            ("AIRFLOW__CORE__PARALLELISM", "64", false),
            ("SNOWFLAKE_ACCOUNT", "acme-eu1", false),
            ("SNOWFLAKE_PASSWORD", "s3cr3t-snowflake", true),
        ],
        runtime: None,
    },
    Dep {
        ws: 0,
        label: "Data Quality",
        description: "Great Expectations suites",
        executor: "KubernetesExecutor",
        airflow: "2.8.1",
        desired: "2.8.1",
        deploys: 6,
        state: "HEALTHY",
        env: &[(
            "GE_DATA_CONTEXT_ROOT",
            "/usr/local/airflow/include/gx",
            false,
        )],
        runtime: None,
    },
    Dep {
        ws: 0,
        label: "Reverse ETL",
        description: "Pushes warehouse data to SaaS tools",
        executor: "LocalExecutor",
        airflow: "2.7.3",
        desired: "2.9.2",
        deploys: 9,
        state: "HEALTHY",
        env: &[
            ("HUBSPOT_API_TOKEN", "pat-na1-0000", true),
            ("SYNC_BATCH_SIZE", "500", false),
        ],
        runtime: None,
    },
    Dep {
        ws: 0,
        label: "Ingestion",
        description: "Streaming ingestion backfills",
        executor: "CeleryExecutor",
        airflow: "2.10.3",
        desired: "2.10.3",
        deploys: 3,
        state: "DEPLOYING",
        env: &[],
        runtime: Some(("12.4.0", "12.4.0")),
    },
    Dep {
        ws: 1,
        label: "Campaign Attribution",
        description: "Multi-touch attribution models",
        executor: "CeleryExecutor",
        airflow: "2.9.2",
        desired: "2.9.2",
        deploys: 21,
        state: "HEALTHY",
        env: &[
            ("GOOGLE_ADS_CUSTOMER_ID", "123-456-7890", false),
            ("GOOGLE_ADS_DEVELOPER_TOKEN", "dev-token-xyz", true),
        ],
        runtime: None,
    },
    Dep {
        ws: 1,
        label: "Email Metrics",
        description: "ESP exports and engagement scores",
        executor: "LocalExecutor",
        airflow: "2.8.1",
        desired: "2.8.1",
        deploys: 4,
        state: "UNHEALTHY",
        env: &[("SENDGRID_API_KEY", "SG.xxxx", true)],
        runtime: None,
    },
    Dep {
        ws: 1,
        label: "Web Analytics",
        description: "Clickstream sessionisation",
        executor: "KubernetesExecutor",
        airflow: "2.9.2",
        desired: "2.9.2",
        deploys: 11,
        state: "HEALTHY",
        env: &[],
        runtime: None,
    },
    Dep {
        ws: 2,
        label: "Feature Store",
        description: "Feast materialisation jobs",
        executor: "KubernetesExecutor",
        airflow: "2.9.2",
        desired: "2.10.3",
        deploys: 8,
        state: "HEALTHY",
        env: &[
            ("FEAST_REPO_PATH", "/usr/local/airflow/include/feast", false),
            ("REDIS_PASSWORD", "feast-redis-pw", true),
        ],
        runtime: None,
    },
    Dep {
        ws: 2,
        label: "Model Training",
        description: "Weekly retraining of churn and LTV models",
        executor: "CeleryExecutor",
        airflow: "2.8.1",
        desired: "2.8.1",
        deploys: 17,
        state: "HEALTHY",
        env: &[("MLFLOW_TRACKING_URI", "http://mlflow.ml.svc:5000", false)],
        // A Runtime upgrade that waits for a deploy.
        runtime: Some(("10.2.0", "11.6.0")),
    },
    Dep {
        ws: 3,
        label: "Playground",
        description: "Try things here",
        executor: "LocalExecutor",
        airflow: "2.10.3",
        desired: "2.10.3",
        deploys: 0,
        state: "HEALTHY",
        env: &[],
        runtime: None,
    },
];

/// (email, full name, system role, workspace roles by workspace index, deployment role by deployment index)
type SeedUser = (
    &'static str,
    &'static str,
    Option<Role>,
    &'static [(usize, Role)],
    &'static [(usize, Role)],
);
const USERS: &[SeedUser] = &[
    (
        ADMIN_EMAIL,
        "Ada Admin",
        Some(Role::SystemAdmin),
        &[(0, Role::WorkspaceAdmin)],
        &[],
    ),
    (
        "grace@astrodash.local",
        "Grace Hopper",
        None,
        &[(0, Role::WorkspaceAdmin), (2, Role::WorkspaceAdmin)],
        &[],
    ),
    (
        "linus@astrodash.local",
        "Linus Editor",
        None,
        &[(0, Role::WorkspaceEditor), (1, Role::WorkspaceEditor)],
        &[],
    ),
    (
        "vera@astrodash.local",
        "Vera Viewer",
        None,
        &[(0, Role::WorkspaceViewer), (1, Role::WorkspaceViewer)],
        &[],
    ),
    (
        "dan@astrodash.local",
        "Dan Deployer",
        None,
        &[(3, Role::WorkspaceViewer)],
        &[(4, Role::DeploymentEditor)],
    ),
    (
        "sam@astrodash.local",
        "Sam Sysview",
        Some(Role::SystemViewer),
        &[],
        &[],
    ),
    // Team members: every right they have comes from their teams (see TEAMS).
    ("nora@astrodash.local", "Nora Dataeng", None, &[], &[]),
    ("omar@astrodash.local", "Omar Mlops", None, &[], &[]),
];

/// An IdP group: (name, member e-mails, system role, workspace roles by workspace index,
/// deployment roles by deployment index).
type SeedTeam = (
    &'static str,
    &'static [&'static str],
    Option<Role>,
    &'static [(usize, Role)],
    &'static [(usize, Role)],
);
const TEAMS: &[SeedTeam] = &[
    (
        "Data Engineering",
        &["nora@astrodash.local", ADMIN_EMAIL],
        None,
        &[(0, Role::WorkspaceEditor)],
        &[(2, Role::DeploymentAdmin)],
    ),
    (
        "ML Ops",
        &["omar@astrodash.local"],
        None,
        &[(2, Role::WorkspaceViewer)],
        &[(8, Role::DeploymentEditor)],
    ),
    (
        "Auditors",
        &["omar@astrodash.local"],
        Some(Role::SystemViewer),
        &[],
        &[],
    ),
];

/// Seed an empty database; returns the admin's (email, password).
pub fn demo(db: &Db, deploying_ms: i64) -> Result<(String, String), Error> {
    let password = auth::random_hex(8);
    let hash = auth::hash_password(&password).map_err(Error::Seed)?;
    let now = store::now_ms();
    let day = 86_400_000;
    let mut rng = StdRng::seed_from_u64(0x5eed);
    db.write(|c| {
        let mut ws_ids = Vec::new();
        for (i, (label, desc)) in WORKSPACES.iter().enumerate() {
            let w = store::insert_workspace(c, label, Some(desc))?;
            let ts = store::fmt_ms(now - (90 - i as i64 * 10) * day);
            c.execute(
                "UPDATE workspaces SET created_at = ?2, updated_at = ?2 WHERE id = ?1",
                [&w.id, &ts],
            )?;
            ws_ids.push(w.id);
        }
        let mut deps: Vec<DeploymentRow> = Vec::new();
        for (i, d) in DEPLOYMENTS.iter().enumerate() {
            let created = now - (60 - i as i64 * 5) * day;
            let mut props = json!({"extra_au": resources::default_extra_au(d.executor)});
            if i == 0 {
                props["alert_emails"] = json!(["data-oncall@astrodash.local"]);
            }
            let mut cfg = resources::default_config(d.executor);
            if d.executor == "CeleryExecutor" && d.deploys > 10 {
                cfg["workers"]["replicas"] = json!(3);
            }
            let row = DeploymentRow {
                id: auth::new_id(),
                workspace_id: ws_ids[d.ws].clone(),
                label: d.label.into(),
                description: Some(d.description.into()),
                release_name: validation::generate_release_name(&mut rng),
                executor: d.executor.into(),
                airflow_version: d.airflow.into(),
                desired_airflow_version: d.desired.into(),
                version: CHART_VERSION.into(),
                config: cfg.to_string(),
                properties: props.to_string(),
                deploy_count: d.deploys,
                // The seeded DEPLOYING one stays so for a couple of minutes of demo time.
                deploying_until: if d.state == "DEPLOYING" {
                    now + deploying_ms.max(120_000)
                } else {
                    0
                },
                unhealthy: d.state == "UNHEALTHY",
                runtime_version: d.runtime.map(|(running, _)| running.to_string()),
                desired_runtime_version: d.runtime.map(|(_, desired)| desired.to_string()),
                namespace: None,
                adopted: false,
                created_at: store::fmt_ms(created),
                updated_at: store::fmt_ms(now - (i as i64 + 1) * 3_600_000),
            };
            store::insert_deployment(c, &row)?;
            let env: Vec<EnvRow> = d
                .env
                .iter()
                .map(|(k, v, s)| EnvRow {
                    key: k.to_string(),
                    value: v.to_string(),
                    is_secret: *s,
                })
                .collect();
            store::replace_env_vars(c, &row.id, &env)?;
            deps.push(row);
        }
        for (i, (email, name, sys, wss, dps)) in USERS.iter().enumerate() {
            let username = email.split('@').next().unwrap_or(email);
            let pw = (i == 0).then_some(hash.as_str());
            let u = store::insert_user(c, email, username, Some(name), pw)?;
            let ts = store::fmt_ms(now - (100 - i as i64) * day);
            c.execute(
                "UPDATE users SET created_at = ?2, updated_at = ?2 WHERE id = ?1",
                [&u.id, &ts],
            )?;
            if let Some(r) = sys {
                store::insert_binding(
                    c,
                    NewBinding {
                        role: *r,
                        user_id: Some(&u.id),
                        service_account_id: None,
                        workspace_id: None,
                        deployment_id: None,
                    },
                )?;
            }
            for (w, r) in wss.iter() {
                store::insert_binding(
                    c,
                    NewBinding {
                        role: *r,
                        user_id: Some(&u.id),
                        service_account_id: None,
                        workspace_id: Some(&ws_ids[*w]),
                        deployment_id: None,
                    },
                )?;
            }
            for (d, r) in dps.iter() {
                store::insert_binding(
                    c,
                    NewBinding {
                        role: *r,
                        user_id: Some(&u.id),
                        service_account_id: None,
                        workspace_id: None,
                        deployment_id: Some(&deps[*d].id),
                    },
                )?;
            }
        }
        for (i, (name, members, sys, wss, dps)) in TEAMS.iter().enumerate() {
            let t = teams::insert_team(c, name, i as i64 + 1)?;
            for email in members.iter() {
                if let Some(u) = store::user_by_email(c, email)? {
                    teams::add_team_member(c, &t.id, &u.id)?;
                }
            }
            if let Some(r) = sys {
                teams::insert_team_binding(c, &t.id, *r, None, None)?;
            }
            for (w, r) in wss.iter() {
                teams::insert_team_binding(c, &t.id, *r, Some(&ws_ids[*w]), None)?;
            }
            for (d, r) in dps.iter() {
                teams::insert_team_binding(c, &t.id, *r, None, Some(&deps[*d].id))?;
            }
        }
        let (ci, _) = store::insert_sa(
            c,
            "ci-deployer",
            Some("CI/CD"),
            Role::WorkspaceEditor,
            Some(&ws_ids[0]),
            None,
        )?;
        c.execute(
            "UPDATE service_accounts SET last_used_at = ?2 WHERE id = ?1",
            [&ci.id, &store::fmt_ms(now - 7 * 60_000)],
        )?;
        store::insert_sa(
            c,
            "dbt-cloud",
            Some("Integration"),
            Role::WorkspaceViewer,
            Some(&ws_ids[1]),
            None,
        )?;
        store::insert_sa(
            c,
            "airflow-sync",
            Some("Monitoring"),
            Role::DeploymentViewer,
            None,
            Some(&deps[0].id),
        )?;
        store::insert_sa(
            c,
            "model-registry",
            None,
            Role::DeploymentEditor,
            None,
            Some(&deps[8].id),
        )?;
        store::insert_invite(
            c,
            &ws_ids[0],
            "new.hire@astrodash.local",
            Role::WorkspaceViewer,
        )?;
        store::insert_invite(
            c,
            &ws_ids[1],
            "contractor@example.com",
            Role::WorkspaceEditor,
        )?;
        Ok::<_, rusqlite::Error>(())
    })?;
    Ok((ADMIN_EMAIL.to_string(), password))
}

/// Benchmark helper: a workspace with `n` deployments inserted in one transaction.
pub fn bulk_workspace(db: &Db, label: &str, n: usize) -> Result<String, Error> {
    let mut rng = rand::rng();
    Ok(db.write(|c| {
        let w = store::insert_workspace(c, label, None)?;
        let now = store::now_ms();
        for i in 0..n {
            let executor = resources::EXECUTORS[i % 3];
            let row = DeploymentRow {
                id: auth::new_id(),
                workspace_id: w.id.clone(),
                label: format!("{label} {i:04}"),
                description: None,
                release_name: format!("{}-{i}", validation::generate_release_name(&mut rng)),
                executor: executor.into(),
                airflow_version: "2.9.2".into(),
                desired_airflow_version: "2.9.2".into(),
                version: CHART_VERSION.into(),
                config: resources::default_config(executor).to_string(),
                properties: json!({"extra_au": resources::default_extra_au(executor)}).to_string(),
                deploy_count: (i % 20) as i64,
                deploying_until: 0,
                unhealthy: false,
                runtime_version: None,
                desired_runtime_version: None,
                namespace: None,
                adopted: false,
                created_at: store::fmt_ms(now - (n - i) as i64 * 1000),
                updated_at: store::fmt_ms(now),
            };
            store::insert_deployment(c, &row)?;
        }
        Ok::<_, rusqlite::Error>(w.id)
    })?)
}
