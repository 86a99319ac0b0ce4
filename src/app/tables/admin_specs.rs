//! The specs of the System Admin panel's own resources: platform users (with their system and
//! workspace roles), every pending invite, and each deployment's task usage. Its service accounts use `specs::SERVICE_ACCOUNTS`.

use super::specs::{by_opt_text, by_text, by_time, flex, layout};
use super::{Cell, Column, CopyTarget, Look, Sort, Spec};
use crate::app::task_usage::TaskUsageRow;
use crate::houston::model::*;
use crate::houston::system::{PlatformUser, TaskUsage};
use crate::ui::format::{age_or, or_dash};

/// "System admin", "—": the user's highest system role in words.
pub(crate) fn system_role_text(role: Option<&Role>) -> &'static str {
    match role {
        Some(Role::SystemAdmin) => "System admin",
        Some(Role::SystemEditor) => "System editor",
        Some(Role::SystemViewer) => "System viewer",
        _ => "—",
    }
}

fn system_rank(role: Option<&Role>) -> u8 {
    match role {
        Some(Role::SystemAdmin) => 0,
        Some(Role::SystemEditor) => 1,
        Some(Role::SystemViewer) => 2,
        _ => 3,
    }
}

/// "Data Platform (Admin), ML (Viewer via team ML Ops)".
fn workspaces_text(u: &PlatformUser) -> String {
    if u.workspaces.is_empty() {
        return "—".into();
    }
    u.workspaces
        .iter()
        .map(|w| match &w.via_team {
            Some(team) => format!("{} ({} via team {team})", w.label, w.role.short()),
            None => format!("{} ({})", w.label, w.role.short()),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) static PLATFORM_USERS: Spec<PlatformUser> = Spec {
    title: "Users",
    noun: "user",
    name: |u| u.display_name(),
    columns: &[
        Column {
            layout: flex("User", 14, 0),
            cell: |u, _| Cell::with(u.display_name().to_string(), Look::Title),
            sort: |a, b| by_text(a.display_name(), b.display_name()),
        },
        Column {
            layout: flex("E-mail", 18, 1),
            cell: |u, _| Cell::plain(or_dash(u.email.as_deref())),
            sort: |a, b| by_opt_text(a.email.as_deref(), b.email.as_deref()),
        },
        Column {
            layout: layout("Status", 8, 2),
            cell: |u, _| {
                let status = or_dash(u.status.as_deref());
                let look = if status == "active" {
                    Look::Plain
                } else {
                    Look::Warning
                };
                Cell::with(status, look)
            },
            sort: |a, b| by_opt_text(a.status.as_deref(), b.status.as_deref()),
        },
        Column {
            // Wide enough for "System viewer".
            layout: layout("System role", 13, 0),
            cell: |u, _| {
                let look = if u.system_role().is_some() {
                    Look::Accent
                } else {
                    Look::Dim
                };
                Cell::with(system_role_text(u.system_role()), look)
            },
            sort: |a, b| system_rank(a.system_role()).cmp(&system_rank(b.system_role())),
        },
        Column {
            layout: flex("Workspaces (role)", 18, 1),
            cell: |u, _| Cell::plain(workspaces_text(u)),
            sort: |a, b| b.workspaces.len().cmp(&a.workspaces.len()),
        },
        Column {
            layout: layout("Joined", 9, 3),
            cell: |u, env| Cell::plain(age_or(env.now, u.created_at, "—")),
            sort: |a, b| by_time(a.created_at, b.created_at),
        },
    ],
    key: |u| u.id.as_str(),
    // By name or e-mail (and id, username), as the web UI's user search.
    search: |u, f| {
        f(u.display_name())
            || f(&u.username)
            || f(u.email.as_deref().unwrap_or(""))
            || f(u.id.as_str())
    },
    default_sort: Some(Sort {
        column: 0,
        descending: false,
    }),
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

/// What an invite is for: the platform (Houston stores role `USER`) or a workspace role.
pub(crate) fn invite_kind(role: &Role) -> String {
    match role {
        Role::User => "Platform".into(),
        other => format!("Workspace {}", other.short()),
    }
}

pub(crate) static SYSTEM_INVITES: Spec<Invite> = Spec {
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
            layout: layout("Invited to", 16, 0),
            cell: |i, _| Cell::plain(invite_kind(&i.role)),
            sort: |a, b| by_text(&invite_kind(&a.role), &invite_kind(&b.role)),
        },
        Column {
            layout: layout("Invited", 9, 1),
            cell: |i, env| Cell::plain(age_or(env.now, i.created_at, "—")),
            sort: |a, b| by_time(a.created_at, b.created_at),
        },
    ],
    key: |i| i.id.as_str(),
    search: |i, f| f(&i.email) || f(&invite_kind(&i.role)),
    default_sort: Some(Sort {
        column: 0,
        descending: false,
    }),
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

/// Failure rate, worst first; rows without an answer last.
fn by_failure_rate(a: &TaskUsageRow, b: &TaskUsageRow) -> std::cmp::Ordering {
    let rate = |r: &TaskUsageRow| r.usage.as_ref().map(TaskUsage::failure_rate);
    match (rate(a), rate(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// A count of the row's usage, or its note ("…" asked, "—" none).
fn count(r: &TaskUsageRow, f: fn(&TaskUsage) -> i64) -> Cell {
    match &r.usage {
        Some(u) => Cell::plain(f(u).to_string()),
        None => Cell::with(r.note, Look::Dim),
    }
}

fn by_count(a: &TaskUsageRow, b: &TaskUsageRow, f: fn(&TaskUsage) -> i64) -> std::cmp::Ordering {
    let n = |r: &TaskUsageRow| r.usage.as_ref().map(f);
    n(b).cmp(&n(a))
}

/// Above this share of failed runs a row is marked.
const HIGH_FAILURE_RATE: f64 = 0.1;

pub(crate) static TASK_USAGE: Spec<TaskUsageRow> = Spec {
    title: "Task usage",
    noun: "deployment",
    name: |r| r.deployment.as_str(),
    columns: &[
        Column {
            layout: flex("Deployment", 14, 0),
            cell: |r, _| Cell::with(r.deployment.clone(), Look::Title),
            sort: |a, b| by_text(&a.deployment, &b.deployment),
        },
        Column {
            layout: layout("Release", 22, 2),
            cell: |r, _| Cell::plain(r.release_name.clone()),
            sort: |a, b| by_text(&a.release_name, &b.release_name),
        },
        Column {
            layout: layout("Successful", 10, 1),
            cell: |r, _| count(r, |u| u.successful),
            sort: |a, b| by_count(a, b, |u| u.successful),
        },
        Column {
            layout: layout("Failed", 7, 0),
            cell: |r, _| count(r, |u| u.failed),
            sort: |a, b| by_count(a, b, |u| u.failed),
        },
        Column {
            layout: layout("Total", 7, 1),
            cell: |r, _| count(r, |u| u.total),
            sort: |a, b| by_count(a, b, |u| u.total),
        },
        Column {
            layout: layout("Failure rate", 13, 0),
            cell: |r, _| match &r.usage {
                Some(u) => {
                    let rate = u.failure_rate();
                    let look = if rate > HIGH_FAILURE_RATE {
                        Look::Warning
                    } else {
                        Look::Plain
                    };
                    Cell::with(format!("{:.1} %", rate * 100.0), look)
                }
                None => Cell::with(r.note, Look::Dim),
            },
            sort: by_failure_rate,
        },
    ],
    key: |r| r.deployment_id.as_str(),
    search: |r, f| f(&r.deployment) || f(&r.release_name),
    // Worst failure rate first (the column's own order).
    default_sort: Some(Sort {
        column: 5,
        descending: false,
    }),
    copy: &[CopyTarget {
        label: "release name",
        value: |r| Some(r.release_name.clone()),
    }],
};
