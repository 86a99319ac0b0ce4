//! Deployment create/edit (name, executor, resources within the platform's limits, with a live
//! preview of what the change costs). The upgrade is `forms/upgrade.rs`.

use super::Plan;
use super::{Choice, Field, FieldKind, Form};
use crate::app::forms::FieldId;
use crate::app::modal::ConfirmLine;
use crate::app::state::AppState;
use crate::houston::model::*;
use crate::houston::mutation::{DeploymentSpec, Mutation, ResourceSpec};

/// Replica bounds per component, as Houston's web UI allows them and houston-local checks
/// (docs/houston.md, "Deployment resources").
const SCHEDULER_REPLICAS: (i64, i64) = (1, 4);
const WORKER_REPLICAS: (i64, i64) = (1, 20);
const TRIGGERER_REPLICAS: (i64, i64) = (0, 2);
const GRACE_SECS: (i64, i64) = (0, 36_000);

/// Fields that only mean something for the Celery executor.
const CELERY_FIELDS: [FieldId; 3] = [
    FieldId::WorkersAu,
    FieldId::WorkerReplicas,
    FieldId::WorkerGrace,
];

fn executors() -> Vec<Choice> {
    vec![
        Choice::new("LocalExecutor", "Local"),
        Choice::new("CeleryExecutor", "Celery"),
        Choice::new("KubernetesExecutor", "Kubernetes"),
    ]
}

fn executor_value(e: &Executor) -> &str {
    match e {
        Executor::Local => "LocalExecutor",
        Executor::Celery => "CeleryExecutor",
        Executor::Kubernetes => "KubernetesExecutor",
        Executor::Other(s) => s,
    }
}

fn resource_fields(spec: &ResourceSpec, config: &DeploymentConfig) -> Vec<Field> {
    let au = |id, label, v| Field::number(id, label, v, 1, config.max_pod_au);
    vec![
        au(FieldId::SchedulerAu, "Scheduler AU", spec.scheduler_au),
        Field::number(
            FieldId::SchedulerReplicas,
            "Schedulers",
            spec.scheduler_replicas,
            SCHEDULER_REPLICAS.0,
            SCHEDULER_REPLICAS.1,
        ),
        au(FieldId::WebserverAu, "Webserver AU", spec.webserver_au),
        au(FieldId::WorkersAu, "Worker AU", spec.workers_au),
        Field::number(
            FieldId::WorkerReplicas,
            "Workers",
            spec.worker_replicas,
            WORKER_REPLICAS.0,
            WORKER_REPLICAS.1,
        ),
        Field::number(
            FieldId::WorkerGrace,
            "Grace (s)",
            spec.worker_grace_secs,
            GRACE_SECS.0,
            GRACE_SECS.1,
        )
        .help(format!(
            "worker termination grace period, {}–{} s",
            GRACE_SECS.0, GRACE_SECS.1
        )),
        au(FieldId::TriggererAu, "Triggerer AU", spec.triggerer_au),
        Field::number(
            FieldId::TriggererReplicas,
            "Triggerers",
            spec.triggerer_replicas,
            TRIGGERER_REPLICAS.0,
            TRIGGERER_REPLICAS.1,
        ),
        Field::number(
            FieldId::ExtraAu,
            "Extra AU",
            spec.extra_au,
            0,
            config.max_extra_au,
        )
        .help(format!(
            "extra capacity (Kubernetes task pods), 0–{} AU",
            config.max_extra_au
        )),
    ]
}

/// `placement`: the cluster fields of Houston 1.0+, where a deployment is created with
/// `upsertDeployment` — which takes no Airflow version or sizes (Runtime images only; the
/// sizes are edited once it exists).
pub(crate) fn create(config: &DeploymentConfig, placement: Vec<Field>) -> Form {
    let executor = Executor::Celery;
    let mut fields = vec![
        Field::text(FieldId::Label, "Name", "").required(),
        Field::text(FieldId::Description, "Description", ""),
        Field::select(
            FieldId::Executor,
            "Executor",
            executors(),
            executor_value(&executor),
        ),
    ];
    if !placement.is_empty() {
        fields.extend(placement);
        return Form::new("New deployment", fields);
    }
    if !config.airflow_versions.is_empty() {
        let mut versions: Vec<Choice> = config
            .airflow_versions
            .iter()
            .map(|v| Choice::new(v.clone(), v.clone()))
            .collect();
        versions.reverse(); // newest first
        let default = config
            .default_airflow_version
            .clone()
            .or_else(|| versions.first().map(|c| c.value.clone()))
            .unwrap_or_default();
        fields.push(Field::select(
            FieldId::AirflowVersion,
            "Airflow",
            versions,
            &default,
        ));
    }
    fields.extend(resource_fields(&ResourceSpec::defaults(&executor), config));
    let mut form = Form::new("New deployment", fields);
    sync(&mut form);
    form
}

pub(crate) fn edit(d: &Deployment, config: &DeploymentConfig) -> Form {
    let mut fields = vec![
        Field::text(FieldId::Label, "Name", &d.label).required(),
        Field::text(
            FieldId::Description,
            "Description",
            d.description.as_deref().unwrap_or(""),
        ),
        Field::select(
            FieldId::Executor,
            "Executor",
            executors(),
            executor_value(&d.executor),
        ),
    ];
    fields.extend(resource_fields(&ResourceSpec::of(d), config));
    let mut form = Form::new(format!("Edit {}", d.label), fields);
    sync(&mut form);
    form
}

/// Show only the fields that mean something for the chosen executor.
pub(crate) fn sync(form: &mut Form) {
    let celery = form.value(FieldId::Executor) == "CeleryExecutor";
    for f in &mut form.fields {
        if CELERY_FIELDS.contains(&f.id) {
            f.hidden = !celery;
        }
    }
    if form.focused().is_some_and(|f| f.hidden) {
        form.next_field();
    }
}

fn executor_of(form: &Form) -> Executor {
    Executor::parse(&form.value(FieldId::Executor))
}

/// The resources the form describes (fields that do not parse keep `fallback`'s value).
fn spec_of(form: &Form, fallback: &ResourceSpec) -> ResourceSpec {
    let n = |id: FieldId, d: i64| form.number(id).unwrap_or(d);
    ResourceSpec {
        scheduler_au: n(FieldId::SchedulerAu, fallback.scheduler_au),
        scheduler_replicas: n(FieldId::SchedulerReplicas, fallback.scheduler_replicas),
        webserver_au: n(FieldId::WebserverAu, fallback.webserver_au),
        workers_au: n(FieldId::WorkersAu, fallback.workers_au),
        worker_replicas: n(FieldId::WorkerReplicas, fallback.worker_replicas),
        worker_grace_secs: n(FieldId::WorkerGrace, fallback.worker_grace_secs),
        triggerer_au: n(FieldId::TriggererAu, fallback.triggerer_au),
        triggerer_replicas: n(FieldId::TriggererReplicas, fallback.triggerer_replicas),
        extra_au: n(FieldId::ExtraAu, fallback.extra_au),
    }
}

/// `0.5 CPU, 1.9 GiB` for `au` AU.
pub(crate) fn cpu_memory(au: i64, config: &DeploymentConfig) -> String {
    let cpu = (au * config.au_cpu) as f64 / 1000.0;
    let mem = (au * config.au_memory) as f64 / 1024.0;
    format!("{} CPU, {:.1} GiB", trim_float(cpu), mem)
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// What the resources in the form amount to, one line per component and the total the
/// platform bills (size × replicas, fixed components, extra capacity).
pub(crate) fn preview(form: &Form, config: &DeploymentConfig) -> Vec<String> {
    // Created on a cluster (Houston 1.0+): no sizes are sent, so there is nothing to add up.
    if form.field(FieldId::Cluster).is_some() {
        return Vec::new();
    }
    // A number that does not parse or is out of bounds would be replaced by a default: the
    // sum would then be of values nobody typed. Say it cannot be computed instead.
    let invalid: Vec<&str> = form
        .fields
        .iter()
        .filter(|f| !f.hidden && matches!(f.kind, FieldKind::Number { .. }))
        .filter(|f| f.number_value().is_none())
        .map(|f| f.label)
        .collect();
    if !invalid.is_empty() {
        return vec![
            "Cannot be computed until".to_string(),
            format!(
                "{} {} valid.",
                invalid.join(", "),
                if invalid.len() == 1 { "is" } else { "are" }
            ),
        ];
    }
    let executor = executor_of(form);
    let spec = spec_of(form, &ResourceSpec::defaults(&executor));
    let mut lines = Vec::new();
    let mut line = |name: &str, au: i64, replicas: i64| {
        lines.push(format!(
            "{name:<10} {au:>3} AU × {replicas} = {:>4} AU  ({})",
            au * replicas,
            cpu_memory(au * replicas, config)
        ));
    };
    line("Scheduler", spec.scheduler_au, spec.scheduler_replicas);
    line("Webserver", spec.webserver_au, 1);
    if executor == Executor::Celery {
        line("Workers", spec.workers_au, spec.worker_replicas);
    }
    line("Triggerer", spec.triggerer_au, spec.triggerer_replicas);
    let total = spec.total_au(&executor);
    let fixed = total
        - spec.scheduler_au * spec.scheduler_replicas
        - spec.webserver_au
        - spec.triggerer_au * spec.triggerer_replicas
        - spec.extra_au
        - if executor == Executor::Celery {
            spec.workers_au * spec.worker_replicas
        } else {
            0
        };
    lines.push(format!(
        "{:<10} {:>16} AU  (statsd, pgbouncer{})",
        "Fixed",
        fixed,
        if executor == Executor::Celery {
            ", flower, redis"
        } else {
            ""
        }
    ));
    lines.push(format!("{:<10} {:>16} AU", "Extra", spec.extra_au));
    lines.push(format!(
        "{:<10} {:>16} AU  ({})",
        "Total",
        total,
        cpu_memory(total, config)
    ));
    lines
}

/// The label must be unique in the workspace (Houston's rule, which compares names exactly:
/// a name that differs only in case is allowed, and only warned about while typing).
fn check_label(form: &mut Form, others: &[Deployment], except: Option<&DeploymentId>) {
    let label = form.text(FieldId::Label);
    let taken = others
        .iter()
        .any(|d| Some(&d.id) != except && d.label == label);
    if taken {
        form.set_error(
            FieldId::Label,
            format!("Workspace already has a deployment named {label}"),
        );
    }
}

fn deployment_spec(form: &Form, fallback: &ResourceSpec) -> DeploymentSpec {
    DeploymentSpec {
        label: form.text(FieldId::Label),
        description: form.text(FieldId::Description),
        executor: executor_of(form),
        resources: spec_of(form, fallback),
    }
}

pub(crate) fn plan_create(state: &AppState, ws: &WorkspaceId, form: &mut Form) -> Option<Plan> {
    let others = state.cache.deployments(ws).unwrap_or(&[]).to_vec();
    let mut placement = Some(None);
    if !form.validate(|f| {
        check_label(f, &others, None);
        placement = super::placement::plan(state, f);
    }) {
        return None;
    }
    let placement = placement?;
    let executor = executor_of(form);
    let spec = deployment_spec(form, &ResourceSpec::defaults(&executor));
    let version = form.text(FieldId::AirflowVersion);
    Some(Plan::Mutate(Mutation::CreateDeployment {
        workspace: ws.clone(),
        spec,
        airflow_version: (!version.is_empty()).then_some(version),
        placement,
    }))
}

pub(crate) fn plan_edit(state: &AppState, id: &DeploymentId, form: &mut Form) -> Option<Plan> {
    let d = state.cache.deployment(id)?.clone();
    let others = d
        .workspace_id
        .as_ref()
        .and_then(|ws| state.cache.deployments(ws))
        .unwrap_or(&[])
        .to_vec();
    if !form.validate(|f| check_label(f, &others, Some(id))) {
        return None;
    }
    let old_spec = ResourceSpec::of(&d);
    let spec = deployment_spec(form, &old_spec);
    let old = DeploymentSpec {
        label: d.label.clone(),
        description: d.description.clone().unwrap_or_default(),
        executor: d.executor.clone(),
        resources: old_spec,
    };
    let lines = diff(&old, &spec, &state.cache.deployment_config());
    if lines.is_empty() {
        form.error = Some("Nothing changed.".into());
        return None;
    }
    Some(Plan::Review {
        title: format!("Apply these changes to {}?", d.label),
        lines,
        mutation: Mutation::UpdateDeployment {
            id: id.clone(),
            spec,
        },
    })
}

/// Old → new, one line per setting that changes.
pub(crate) fn diff(
    old: &DeploymentSpec,
    new: &DeploymentSpec,
    config: &DeploymentConfig,
) -> Vec<ConfirmLine> {
    let mut out = Vec::new();
    let mut change = |what: &str, a: String, b: String| {
        if a != b {
            out.push(ConfirmLine::Changed {
                what: what.to_string(),
                old: a,
                new: b,
            });
        }
    };
    change("Name", old.label.clone(), new.label.clone());
    change(
        "Description",
        old.description.clone(),
        new.description.clone(),
    );
    change(
        "Executor",
        old.executor.label().to_string(),
        new.executor.label().to_string(),
    );
    let (a, b) = (&old.resources, &new.resources);
    change(
        "Scheduler AU",
        a.scheduler_au.to_string(),
        b.scheduler_au.to_string(),
    );
    change(
        "Schedulers",
        a.scheduler_replicas.to_string(),
        b.scheduler_replicas.to_string(),
    );
    change(
        "Webserver AU",
        a.webserver_au.to_string(),
        b.webserver_au.to_string(),
    );
    if new.executor == Executor::Celery {
        change(
            "Worker AU",
            a.workers_au.to_string(),
            b.workers_au.to_string(),
        );
        change(
            "Workers",
            a.worker_replicas.to_string(),
            b.worker_replicas.to_string(),
        );
        change(
            "Worker grace (s)",
            a.worker_grace_secs.to_string(),
            b.worker_grace_secs.to_string(),
        );
    }
    change(
        "Triggerer AU",
        a.triggerer_au.to_string(),
        b.triggerer_au.to_string(),
    );
    change(
        "Triggerers",
        a.triggerer_replicas.to_string(),
        b.triggerer_replicas.to_string(),
    );
    change("Extra AU", a.extra_au.to_string(), b.extra_au.to_string());
    let (ta, tb) = (a.total_au(&old.executor), b.total_au(&new.executor));
    if !out.is_empty() && ta != tb {
        out.push(ConfirmLine::Changed {
            what: "Total".into(),
            old: format!("{ta} AU ({})", cpu_memory(ta, config)),
            new: format!("{tb} AU ({})", cpu_memory(tb, config)),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_counts_replicas_and_hides_celery_fields() {
        let config = DeploymentConfig::default();
        let mut form = create(&config, vec![]);
        // Celery by default: workers shown, 10 AU × 1.
        assert!(!form.field(FieldId::WorkersAu).is_some_and(|f| f.hidden));
        let lines = preview(&form, &config);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("Workers") && l.contains("10 AU × 1"))
        );
        // 5 + 5 + 10 + 5 + fixed 8 = 33
        assert!(
            lines.last().is_some_and(|l| l.contains("33 AU")),
            "{lines:?}"
        );
        if let Some(f) = form.field_mut(FieldId::WorkerReplicas) {
            f.input = tui_input::Input::new("3".into());
        }
        let lines = preview(&form, &config);
        assert!(
            lines.last().is_some_and(|l| l.contains("53 AU")),
            "{lines:?}"
        );
        if let Some(f) = form.field_mut(FieldId::Executor) {
            f.kind = super::FieldKind::Select {
                choices: executors(),
                index: 0,
            };
        }
        sync(&mut form);
        assert!(form.field(FieldId::WorkersAu).is_some_and(|f| f.hidden));
        // Local: 5 + 5 + 5 + statsd 2 + pgbouncer 2 = 19
        assert!(
            preview(&form, &config)
                .last()
                .is_some_and(|l| l.contains("19 AU"))
        );
    }
}
