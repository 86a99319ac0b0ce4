//! One `Spec` per resource: its columns (layout, cell, sort order), its key, what `/` searches
//! and what `y` copies. The table widget, sorting, filtering and copying all read these.

use std::cmp::Ordering;

use super::{Cell, Column, CopyTarget, Layout, Look, Sort, Spec};
use crate::houston::model::*;
use crate::ui::format::{age_or, airflow_version, or_dash};

pub(crate) const fn layout(title: &'static str, width: u16, priority: u8) -> Layout {
    Layout {
        title,
        width,
        flex: false,
        priority,
    }
}

pub(crate) const fn flex(title: &'static str, width: u16, priority: u8) -> Layout {
    Layout {
        title,
        width,
        flex: true,
        priority,
    }
}

const BY_FIRST_COLUMN: Option<Sort> = Some(Sort {
    column: 0,
    descending: false,
});

/// Text order for sort keys: natural (`deploy-3` before `deploy-11`), ignoring case.
pub(crate) fn by_text(a: &str, b: &str) -> Ordering {
    super::natural::natural_cmp(a, b)
}

/// Missing values last.
pub(crate) fn by_opt_text(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => by_text(a, b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Newest first is what one wants from "sort by time"; missing values last.
pub(crate) fn by_time(a: Option<Timestamp>, b: Option<Timestamp>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// `2.10.1` after `2.9.3`: numeric parts compared as numbers.
pub(crate) fn compare_versions(a: &str, b: &str) -> Ordering {
    let parts = |s: &str| -> Vec<(u64, String)> {
        s.split(['.', '-', '+'])
            .map(|p| (p.parse::<u64>().unwrap_or(0), p.to_string()))
            .collect()
    };
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(pb.iter()) {
        let o = x.0.cmp(&y.0).then_with(|| x.1.cmp(&y.1));
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

/// Status with a symbol, so it reads without colour too.
pub(crate) fn status_text(s: DeploymentStatus) -> String {
    let symbol = match s {
        DeploymentStatus::Healthy => "●",
        DeploymentStatus::Unhealthy => "✗",
        DeploymentStatus::Deploying => "◌",
        DeploymentStatus::Unknown => "?",
    };
    format!("{symbol} {}", s.label())
}

fn role_text(role: Option<&Role>) -> &str {
    role.map_or("—", Role::short)
}

fn role_order(role: Option<&Role>) -> u8 {
    match role {
        Some(Role::SystemAdmin | Role::WorkspaceAdmin | Role::DeploymentAdmin) => 0,
        Some(Role::SystemEditor | Role::WorkspaceEditor | Role::DeploymentEditor) => 1,
        Some(Role::SystemViewer | Role::WorkspaceViewer | Role::DeploymentViewer) => 2,
        _ => 3,
    }
}

// ---------------------------------------------------------------------------------------------

pub(crate) static WORKSPACES: Spec<Workspace> = Spec {
    title: "Workspaces",
    noun: "workspace",
    name: |w| w.label.as_str(),
    columns: &[
        Column {
            layout: flex("Workspace", 16, 0),
            cell: |w, _| Cell::with(w.label.clone(), Look::Title),
            sort: |a, b| by_text(&a.label, &b.label),
        },
        Column {
            layout: flex("Description", 16, 2),
            cell: |w, _| Cell::plain(or_dash(w.description.as_deref())),
            sort: |a, b| by_opt_text(a.description.as_deref(), b.description.as_deref()),
        },
        Column {
            layout: layout("Deployments", 11, 1),
            cell: |w, _| Cell::plain(w.deployment_count.to_string()),
            sort: |a, b| b.deployment_count.cmp(&a.deployment_count),
        },
        Column {
            // Wide enough for "System admin".
            layout: layout("My role", 12, 1),
            cell: |w, env| match &w.my_role {
                Some(role) => Cell::plain(role.short()),
                // A system admin sees every workspace, bound to it or not.
                None if env.system_admin => Cell::with("System admin", Look::Dim),
                None => Cell::plain("—"),
            },
            sort: |a, b| role_order(a.my_role.as_ref()).cmp(&role_order(b.my_role.as_ref())),
        },
    ],
    key: |w| w.id.as_str(),
    search: |w, f| f(&w.label) || f(w.description.as_deref().unwrap_or("")) || f(w.id.as_str()),
    default_sort: BY_FIRST_COLUMN,
    copy: &[
        CopyTarget {
            label: "workspace id",
            value: |w| Some(w.id.to_string()),
        },
        CopyTarget {
            label: "workspace name",
            value: |w| Some(w.label.clone()),
        },
    ],
};

// The deployment columns, shared by a workspace's list and the all-deployments view.

pub(super) const DEPLOYMENT_NAME: Column<Deployment> = Column {
    layout: flex("Deployment", 14, 0),
    cell: |d, _| Cell::with(d.label.clone(), Look::Title),
    sort: |a, b| by_text(&a.label, &b.label),
};

pub(super) const DEPLOYMENT_RELEASE: Column<Deployment> = Column {
    layout: layout("Release", 24, 1),
    cell: |d, _| Cell::plain(d.release_name.clone()),
    sort: |a, b| by_text(&a.release_name, &b.release_name),
};

pub(super) const DEPLOYMENT_STATUS: Column<Deployment> = Column {
    layout: layout("Status", 11, 0),
    cell: |d, _| Cell::with(status_text(d.status), Look::Status(d.status)),
    // Worst first.
    sort: |a, b| a.status.cmp(&b.status),
};

pub(super) const DEPLOYMENT_EXECUTOR: Column<Deployment> = Column {
    layout: layout("Executor", 10, 3),
    cell: |d, _| Cell::plain(d.executor.label()),
    sort: |a, b| by_text(a.executor.label(), b.executor.label()),
};

pub(super) const DEPLOYMENT_AIRFLOW: Column<Deployment> = Column {
    layout: layout("Airflow", 14, 1),
    cell: |d, _| {
        let look = if d.upgrade_pending() || d.runtime_upgrade_pending() {
            Look::Warning
        } else {
            Look::Plain
        };
        let mut text = airflow_version(d);
        // A pending Runtime upgrade is what the warning colour is about: say so.
        if d.runtime_upgrade_pending()
            && !d.upgrade_pending()
            && let Some(want) = &d.desired_runtime_version
        {
            text.push_str(&format!(" · Runtime → {want}"));
        }
        Cell::with(text, look)
    },
    sort: |a, b| {
        compare_versions(
            a.airflow_version.as_deref().unwrap_or(""),
            b.airflow_version.as_deref().unwrap_or(""),
        )
    },
};

pub(super) const DEPLOYMENT_IMAGE: Column<Deployment> = Column {
    layout: layout("Image", 12, 4),
    cell: |d, _| Cell::plain(or_dash(d.image_tag.as_deref())),
    sort: |a, b| by_opt_text(a.image_tag.as_deref(), b.image_tag.as_deref()),
};

pub(super) const DEPLOYMENT_UPDATED: Column<Deployment> = Column {
    layout: layout("Updated", 9, 2),
    cell: |d, env| Cell::plain(age_or(env.now, d.updated_at, "—")),
    sort: |a, b| by_time(a.updated_at, b.updated_at),
};

pub(super) const DEPLOYMENT_COPY: &[CopyTarget<Deployment>] = &[
    CopyTarget {
        label: "release name",
        value: |d| Some(d.release_name.clone()).filter(|r| !r.is_empty()),
    },
    CopyTarget {
        label: "deployment id",
        value: |d| Some(d.id.to_string()),
    },
    CopyTarget {
        label: "Airflow URL",
        value: |d| d.url("airflow").map(str::to_string),
    },
    CopyTarget {
        label: "Flower URL",
        value: |d| {
            (d.executor == Executor::Celery)
                .then(|| d.url("flower").map(str::to_string))
                .flatten()
        },
    },
];

pub(crate) static DEPLOYMENTS: Spec<Deployment> = Spec {
    title: "Deployments",
    noun: "deployment",
    name: |d| d.label.as_str(),
    columns: &[
        DEPLOYMENT_NAME,
        DEPLOYMENT_RELEASE,
        DEPLOYMENT_STATUS,
        DEPLOYMENT_EXECUTOR,
        DEPLOYMENT_AIRFLOW,
        DEPLOYMENT_IMAGE,
        DEPLOYMENT_UPDATED,
    ],
    key: |d| d.id.as_str(),
    search: |d, f| {
        f(&d.label)
            || f(&d.release_name)
            || f(d.executor.label())
            || f(d.status.label())
            || f(d.airflow_version.as_deref().unwrap_or(""))
            || f(d.image_tag.as_deref().unwrap_or(""))
    },
    default_sort: None,
    copy: DEPLOYMENT_COPY,
};

pub(crate) static WORKSPACE_USERS: Spec<WorkspaceUser> = Spec {
    title: "Users",
    noun: "user",
    name: |u| u.display_name(),
    columns: &[
        Column {
            layout: flex("Name", 14, 0),
            cell: |u, _| Cell::with(u.display_name().to_string(), Look::Title),
            sort: |a, b| {
                by_text(a.display_name(), b.display_name())
                    .then_with(|| by_opt_text(a.email.as_deref(), b.email.as_deref()))
            },
        },
        Column {
            layout: flex("E-mail", 18, 1),
            cell: |u, _| Cell::plain(or_dash(u.email.as_deref())),
            sort: |a, b| by_opt_text(a.email.as_deref(), b.email.as_deref()),
        },
        Column {
            layout: layout("Role", 8, 0),
            cell: |u, _| Cell::plain(role_text(u.role.as_ref())),
            sort: |a, b| role_order(a.role.as_ref()).cmp(&role_order(b.role.as_ref())),
        },
        Column {
            layout: layout("Status", 8, 2),
            cell: |u, _| Cell::plain(or_dash(u.status.as_deref())),
            sort: |a, b| by_opt_text(a.status.as_deref(), b.status.as_deref()),
        },
    ],
    key: |u| u.id.as_str(),
    search: |u, f| {
        f(&u.username)
            || f(u.full_name.as_deref().unwrap_or(""))
            || f(u.email.as_deref().unwrap_or(""))
            || f(u.role.as_ref().map_or("", |r| r.as_str()))
    },
    default_sort: BY_FIRST_COLUMN,
    copy: &[
        CopyTarget {
            label: "e-mail",
            value: |u| u.email.clone(),
        },
        CopyTarget {
            label: "user id",
            value: |u| Some(u.id.to_string()),
        },
    ],
};

pub(crate) static INVITES: Spec<Invite> = Spec {
    title: "Pending invites",
    noun: "invite",
    name: |i| i.email.as_str(),
    columns: &[
        Column {
            layout: flex("E-mail", 20, 0),
            cell: |i, _| Cell::with(i.email.clone(), Look::Title),
            sort: |a, b| by_text(&a.email, &b.email),
        },
        Column {
            layout: layout("Role", 8, 0),
            cell: |i, _| Cell::plain(i.role.short()),
            sort: |a, b| role_order(Some(&a.role)).cmp(&role_order(Some(&b.role))),
        },
        Column {
            layout: layout("Invited", 9, 1),
            cell: |i, env| Cell::plain(age_or(env.now, i.created_at, "—")),
            sort: |a, b| by_time(a.created_at, b.created_at),
        },
    ],
    key: |i| i.id.as_str(),
    search: |i, f| f(&i.email) || f(i.role.as_str()),
    default_sort: BY_FIRST_COLUMN,
    copy: &[
        CopyTarget {
            label: "e-mail",
            value: |i| Some(i.email.clone()),
        },
        CopyTarget {
            label: "invite id",
            value: |i| Some(i.id.to_string()),
        },
    ],
};

pub(crate) static SERVICE_ACCOUNTS: Spec<ServiceAccount> = Spec {
    title: "Service accounts",
    noun: "service account",
    name: |sa| sa.label.as_str(),
    columns: &[
        Column {
            layout: flex("Service account", 16, 0),
            cell: |s, _| Cell::with(s.label.clone(), Look::Title),
            sort: |a, b| by_text(&a.label, &b.label),
        },
        Column {
            layout: layout("Category", 14, 2),
            cell: |s, _| Cell::plain(or_dash(s.category.as_deref())),
            sort: |a, b| by_opt_text(a.category.as_deref(), b.category.as_deref()),
        },
        Column {
            layout: layout("Role", 8, 0),
            cell: |s, _| Cell::plain(role_text(s.role.as_ref())),
            sort: |a, b| role_order(a.role.as_ref()).cmp(&role_order(b.role.as_ref())),
        },
        Column {
            layout: layout("Last used", 10, 1),
            cell: |s, env| Cell::plain(age_or(env.now, s.last_used_at, "never")),
            sort: |a, b| by_time(a.last_used_at, b.last_used_at),
        },
    ],
    key: |s| s.id.as_str(),
    search: |s, f| f(&s.label) || f(s.category.as_deref().unwrap_or("")) || f(s.id.as_str()),
    default_sort: None,
    copy: &[
        CopyTarget {
            label: "service account id",
            value: |s| Some(s.id.to_string()),
        },
        CopyTarget {
            label: "service account name",
            value: |s| Some(s.label.clone()),
        },
    ],
};

pub(crate) static TEAMS: Spec<Team> = Spec {
    title: "Teams",
    noun: "team",
    name: |t| t.name.as_str(),
    columns: &[
        Column {
            layout: flex("Team", 20, 0),
            cell: |t, _| Cell::with(t.name.clone(), Look::Title),
            sort: |a, b| by_text(&a.name, &b.name),
        },
        Column {
            layout: layout("Role", 8, 0),
            cell: |t, _| Cell::plain(role_text(t.role.as_ref())),
            sort: |a, b| role_order(a.role.as_ref()).cmp(&role_order(b.role.as_ref())),
        },
    ],
    key: |t| t.id.as_str(),
    search: |t, f| f(&t.name) || f(t.role.as_ref().map_or("", |r| r.as_str())),
    default_sort: BY_FIRST_COLUMN,
    copy: &[
        CopyTarget {
            label: "team id",
            value: |t| Some(t.id.to_string()),
        },
        CopyTarget {
            label: "team name",
            value: |t| Some(t.name.clone()),
        },
    ],
};

/// What stands in for a secret's value.
pub(crate) const SECRET_MASK: &str = "••••••";

pub(crate) static VARIABLES: Spec<EnvVar> = Spec {
    title: "Environment variables",
    noun: "variable",
    name: |v| v.key.as_str(),
    columns: &[
        Column {
            layout: flex("Variable", 16, 0),
            cell: |v, _| Cell::with(v.key.clone(), Look::Title),
            sort: |a, b| a.key.cmp(&b.key),
        },
        Column {
            layout: flex("Value", 16, 0),
            cell: |v, _| {
                if v.is_secret {
                    Cell::with(SECRET_MASK, Look::Secret)
                } else {
                    Cell::plain(v.value.clone())
                }
            },
            sort: |a, b| by_text(&a.value, &b.value),
        },
        Column {
            layout: layout("", 6, 1),
            cell: |v, _| {
                if v.is_secret {
                    Cell::with("secret", Look::Secret)
                } else {
                    Cell::plain("")
                }
            },
            sort: |a, b| b.is_secret.cmp(&a.is_secret),
        },
    ],
    key: |v| v.key.as_str(),
    // Secret values are never searched (they are empty anyway).
    search: |v, f| f(&v.key) || (!v.is_secret && f(&v.value)),
    default_sort: BY_FIRST_COLUMN,
    copy: &[
        CopyTarget {
            label: "variable name",
            value: |v| Some(v.key.clone()),
        },
        CopyTarget {
            label: "variable value",
            value: |v| (!v.is_secret).then(|| v.value.clone()),
        },
    ],
};

pub(crate) static DEPLOYMENT_USERS: Spec<DeploymentUser> = Spec {
    title: "Users",
    noun: "user",
    name: |u| u.full_name.as_deref().unwrap_or(&u.username),
    columns: &[
        Column {
            layout: flex("Name", 14, 0),
            cell: |u, _| {
                Cell::with(
                    u.full_name.clone().unwrap_or_else(|| u.username.clone()),
                    Look::Title,
                )
            },
            sort: |a, b| {
                by_text(
                    a.full_name.as_deref().unwrap_or(&a.username),
                    b.full_name.as_deref().unwrap_or(&b.username),
                )
            },
        },
        Column {
            layout: flex("E-mail", 18, 1),
            cell: |u, _| Cell::plain(or_dash(u.email.as_deref())),
            sort: |a, b| by_opt_text(a.email.as_deref(), b.email.as_deref()),
        },
        Column {
            layout: layout("Role", 8, 0),
            cell: |u, _| Cell::plain(role_text(u.role.as_ref())),
            sort: |a, b| role_order(a.role.as_ref()).cmp(&role_order(b.role.as_ref())),
        },
    ],
    key: |u| u.id.as_str(),
    search: |u, f| {
        f(&u.username)
            || f(u.full_name.as_deref().unwrap_or(""))
            || f(u.email.as_deref().unwrap_or(""))
            || f(u.role.as_ref().map_or("", |r| r.as_str()))
    },
    default_sort: BY_FIRST_COLUMN,
    copy: &[
        CopyTarget {
            label: "e-mail",
            value: |u| u.email.clone(),
        },
        CopyTarget {
            label: "user id",
            value: |u| Some(u.id.to_string()),
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(compare_versions("2.10.1", "2.9.3"), Ordering::Greater);
        assert_eq!(compare_versions("2.9.3", "2.9.3"), Ordering::Equal);
        assert_eq!(compare_versions("1.10", "1.10.15"), Ordering::Less);
    }
}
