//! Where a new deployment goes on Houston 1.0+ (Astro Private Cloud): a cluster — ACTIVE ones
//! are offered first, INACTIVE ones are shown with Houston's reason and refused —, a
//! pre-created namespace of that cluster where the platform lets deployments pick one
//! (`manualNamespaceNames`), and on 2.1+ a mode (helm or operator). The namespaces follow the
//! chosen cluster (`refresh`, after every key and when a list arrives).

use super::{Choice, Field, FieldId, FieldKind, Form};
use crate::app::state::AppState;
use crate::houston::Release;
use crate::houston::model::{Cluster, ClusterId};
use crate::houston::mutation::Placement;
use crate::houston::request::Request;

const HOUSTON_1_0: Release = Release::new(1, 0, 0);
const HOUSTON_2_1: Release = Release::new(2, 1, 0);

fn at_least(state: &AppState, release: Release) -> bool {
    state
        .cache
        .app_config()
        .is_some_and(|c| c.version.is_some() && c.houston_version().at_least(release))
}

/// This Houston places deployments on clusters.
pub(crate) fn applies(state: &AppState) -> bool {
    at_least(state, HOUSTON_1_0) || state.cache.clusters().is_some_and(|c| !c.is_empty())
}

/// Deployments on `cluster` pick a pre-created namespace (the cluster's config tier may say
/// so where the platform's does not).
fn manual_namespaces(state: &AppState, cluster: &str) -> bool {
    state
        .cache
        .platform_flags(&ClusterId::new(cluster))
        .is_some_and(|f| f.manual_namespaces)
}

/// The cluster a new form starts on: the first ACTIVE one, else the first.
fn first_cluster(state: &AppState) -> Option<&Cluster> {
    let clusters = state.cache.clusters()?;
    clusters
        .iter()
        .find(|c| c.status.is_active())
        .or(clusters.first())
}

/// What the create form needs loaded on Houston 1.0+: the clusters, the switches of the
/// chosen cluster (the first ACTIVE one until a form chooses) and, where it lets deployments
/// pick one, its namespaces.
pub(crate) fn requests(state: &AppState, form: Option<&Form>) -> Vec<Request> {
    if !applies(state) {
        return vec![];
    }
    let mut out = vec![Request::Clusters];
    let cluster = match form {
        Some(f) => Some(f.value(FieldId::Cluster)),
        None => first_cluster(state).map(|c| c.id.to_string()),
    }
    .filter(|c| !c.is_empty());
    if let Some(cluster) = cluster {
        out.push(Request::PlatformFlags(ClusterId::new(cluster.clone())));
        if manual_namespaces(state, &cluster) {
            out.push(Request::AvailableNamespaces(ClusterId::new(cluster)));
        }
    }
    out
}

fn cluster_choice(c: &Cluster) -> Choice {
    let label = match c.status.is_active() {
        true => c.name.clone(),
        false => format!("{} ({})", c.name, c.status.label()),
    };
    Choice::new(c.id.to_string(), label)
}

const CLUSTER_HELP: &str = "the data plane it runs on";

/// Under the cluster: why a cluster that takes no deployments is so, in Houston's words.
fn cluster_help(c: Option<&Cluster>) -> String {
    match c {
        Some(c) if !c.status.is_active() => match &c.status_reason {
            Some(reason) => format!("{}: {reason}", c.status.label()),
            None => format!("{}: takes no new deployments", c.status.label()),
        },
        _ => CLUSTER_HELP.to_string(),
    }
}

/// The placement fields of the create form (none before Houston 1.0).
pub(crate) fn fields(state: &AppState) -> Vec<Field> {
    if !applies(state) {
        return vec![];
    }
    let mut clusters: Vec<&Cluster> = state.cache.clusters().unwrap_or(&[]).iter().collect();
    // ACTIVE first: those are the ones that take deployments.
    clusters.sort_by_key(|c| !c.status.is_active());
    let first = first_cluster(state)
        .map(|c| c.id.to_string())
        .unwrap_or_default();
    let mut out = vec![
        Field::select(
            FieldId::Cluster,
            "Cluster",
            clusters.into_iter().map(cluster_choice).collect(),
            &first,
        )
        .help(CLUSTER_HELP),
    ];
    // Shown while the chosen cluster lets deployments pick one (`refresh`).
    let mut namespace = Field::select(FieldId::Namespace, "Namespace", vec![], "")
        .help("a pre-created namespace of the chosen cluster");
    set_choices(&mut namespace, names(state, &first));
    namespace.hidden = !manual_namespaces(state, &first);
    out.push(namespace);
    if at_least(state, HOUSTON_2_1) {
        out.push(
            Field::select(
                FieldId::Mode,
                "Mode",
                vec![
                    Choice::new("helm", "helm (a Helm release of the Airflow chart)"),
                    Choice::new("operator", "operator (an Airflow custom resource)"),
                ],
                "helm",
            )
            .help("how the data plane installs it"),
        );
    }
    out
}

fn names<'a>(state: &'a AppState, cluster: &str) -> Option<&'a [String]> {
    state.cache.namespaces(&ClusterId::new(cluster))
}

/// The namespace choices of a cluster, keeping the one chosen when it is still offered.
fn set_choices(field: &mut Field, names: Option<&[String]>) {
    let FieldKind::Select { choices, index } = &mut field.kind else {
        return;
    };
    let chosen = choices.get(*index).map(|c| c.value.clone());
    *choices = match names {
        Some(names) => names
            .iter()
            .map(|n| Choice::new(n.clone(), n.clone()))
            .collect(),
        None => vec![],
    };
    *index = chosen
        .and_then(|v| choices.iter().position(|c| c.value == v))
        .unwrap_or(0);
}

/// Follow the cluster the form has chosen now: its status under it, its namespaces offered.
pub(crate) fn refresh(state: &AppState, form: &mut Form) {
    let cluster = form.value(FieldId::Cluster);
    let chosen = state
        .cache
        .clusters()
        .and_then(|cs| cs.iter().find(|c| c.id.as_str() == cluster));
    if let Some(field) = form.field_mut(FieldId::Cluster) {
        field.help = Some(cluster_help(chosen));
    }
    let list = names(state, &cluster).map(<[String]>::to_vec);
    let manual = manual_namespaces(state, &cluster);
    if let Some(field) = form.field_mut(FieldId::Namespace) {
        set_choices(field, list.as_deref());
        field.hidden = !manual;
    }
}

/// The placement the form asks for, after checking it: `None` when it cannot be sent (the
/// errors are on the fields), `Some(None)` before Houston 1.0.
pub(crate) fn plan(state: &AppState, form: &mut Form) -> Option<Option<Placement>> {
    if form.field(FieldId::Cluster).is_none() {
        return Some(None);
    }
    let id = form.value(FieldId::Cluster);
    let Some(cluster) = state
        .cache
        .clusters()
        .and_then(|cs| cs.iter().find(|c| c.id.as_str() == id))
    else {
        form.set_error(
            FieldId::Cluster,
            "The clusters are not loaded yet: try again in a moment",
        );
        return None;
    };
    if !cluster.status.is_active() {
        let why = cluster
            .status_reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        form.set_error(
            FieldId::Cluster,
            format!(
                "{} is {}{why}: it takes no new deployments; choose an ACTIVE cluster",
                cluster.name,
                cluster.status.label()
            ),
        );
        return None;
    }
    let namespace = form
        .field(FieldId::Namespace)
        .filter(|f| !f.hidden)
        .map(|_| form.value(FieldId::Namespace));
    if namespace.as_deref() == Some("") {
        let text = match names(state, &id) {
            Some(_) => format!("{} has no free pre-created namespace", cluster.name),
            None => "The cluster's namespaces are not loaded yet: try again in a moment".into(),
        };
        form.set_error(FieldId::Namespace, text);
        return None;
    }
    Some(Some(Placement {
        cluster: cluster.id.clone(),
        namespace,
        mode: form.field(FieldId::Mode).map(|_| form.value(FieldId::Mode)),
    }))
}
