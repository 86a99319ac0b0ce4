//! Environment variables: add, edit, import a `.env` file. Houston replaces the whole set on
//! every change, so each change is shown as a diff of the set before it is applied; secrets are
//! sent with an empty value to keep what Houston stores.

use std::path::Path;

use super::base::{Var, VarSet};
use super::{Choice, Field, FieldKind, Form};
use super::{FormKind, Plan, dotenv};
use crate::app::forms::FieldId;
use crate::app::modal::ConfirmLine;
use crate::app::state::AppState;
use crate::app::tables::specs::SECRET_MASK;
use crate::houston::model::*;
use crate::houston::mutation::{EnvVarInput, Mutation};

/// Keys Houston sets itself and refuses (docs/houston.md, "Environment variables").
pub(crate) const RESERVED_KEYS: [&str; 14] = [
    "AIRFLOW__CORE__EXECUTOR",
    "AIRFLOW__CORE__SQL_ALCHEMY_CONN",
    "AIRFLOW__CORE__LOAD_EXAMPLES",
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__WEBSERVER__BASE_URL",
    "AIRFLOW__CELERY__BROKER_URL",
    "AIRFLOW__CELERY__RESULT_BACKEND",
    "AIRFLOW__CELERY__DEFAULT_QUEUE",
    "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC",
    "AIRFLOW__SCHEDULER__STATSD_ON",
    "AIRFLOW__SCHEDULER__STATSD_HOST",
    "AIRFLOW__SCHEDULER__STATSD_PORT",
    "AIRFLOW__SCHEDULER__STATSD_PREFIX",
    "AIRFLOW__KUBERNETES__NAMESPACE",
];

/// Houston's rule for keys, with its words: `^[A-Z_][A-Z0-9_]*$`, not only underscores, not
/// reserved.
pub(crate) fn check_key(key: &str) -> Result<(), String> {
    let mut chars = key.chars();
    let well_formed = match chars.next() {
        Some(c) if c.is_ascii_uppercase() || c == '_' => {
            chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        }
        _ => false,
    };
    if !well_formed || key.chars().all(|c| c == '_') {
        return Err(format!(
            "Invalid Environment Variable Key: {key} (use upper-case letters, digits and underscores)"
        ));
    }
    if RESERVED_KEYS.contains(&key) {
        return Err(format!(
            "{key} is set automatically and cannot be overridden"
        ));
    }
    Ok(())
}

fn secret_choice(secret: bool) -> Field {
    Field::select(
        FieldId::Secret,
        "Secret",
        vec![
            Choice::new("no", "no"),
            Choice::new("yes", "yes — never shown again"),
        ],
        if secret { "yes" } else { "no" },
    )
}

/// The value field masks what is typed once the variable is marked secret (the choice comes
/// before the value, so nothing secret is ever shown).
pub(crate) fn sync(form: &mut Form) {
    let secret = form.value(FieldId::Secret) == "yes";
    if let Some(f) = form.field_mut(FieldId::Value) {
        f.kind = if secret {
            FieldKind::Secret
        } else {
            FieldKind::Text
        };
    }
}

pub(crate) fn add() -> Form {
    let mut form = Form::new(
        "Add an environment variable",
        vec![
            Field::text(FieldId::Key, "Name", "").required(),
            secret_choice(false),
            Field::text(FieldId::Value, "Value", ""),
        ],
    );
    sync(&mut form);
    form
}

pub(crate) fn edit(var: &EnvVar) -> Form {
    let mut value = Field::text(
        FieldId::Value,
        "Value",
        if var.is_secret { "" } else { &var.value },
    );
    if var.is_secret {
        value.help = Some("Secret: leave empty to keep the stored value".into());
    }
    let mut form = Form::new(
        format!("Edit {}", var.key),
        vec![
            Field::text(FieldId::Key, "Name", &var.key).required(),
            secret_choice(var.is_secret),
            value,
        ],
    );
    sync(&mut form);
    form
}

pub(crate) fn import() -> Form {
    Form::new(
        "Import a .env file",
        vec![
            Field::text(FieldId::Path, "File", "")
                .required()
                .help("KEY=value lines; `export`, quotes and # comments are understood"),
            Field::select(
                FieldId::Secret,
                "Import as",
                vec![
                    Choice::new("no", "plain variables"),
                    Choice::new("yes", "secrets (never shown again)"),
                ],
                "no",
            ),
            Field::select(
                FieldId::KeepSecret,
                "Secrets",
                vec![
                    Choice::new("yes", "existing secrets stay secret"),
                    Choice::new("no", "existing secrets become plain"),
                ],
                "yes",
            ),
        ],
    )
}

/// The set as Houston holds it, ready to send back: secrets with empty values (kept).
fn current_set(vars: &[EnvVar]) -> Vec<EnvVarInput> {
    vars.iter()
        .map(|v| EnvVarInput {
            key: v.key.clone(),
            value: Secret(if v.is_secret {
                String::new()
            } else {
                v.value.clone()
            }),
            is_secret: v.is_secret,
        })
        .collect()
}

fn shown(v: &EnvVarInput) -> String {
    if v.is_secret {
        format!("{} (secret)", SECRET_MASK)
    } else {
        v.value.expose().to_string()
    }
}

/// The whole set, old → new: added, removed and changed variables (secrets masked).
pub(crate) fn diff(old: &[EnvVarInput], new: &[EnvVarInput]) -> Vec<ConfirmLine> {
    let mut out = Vec::new();
    for v in new {
        match old.iter().find(|o| o.key == v.key) {
            None => out.push(ConfirmLine::Added(format!("{} = {}", v.key, shown(v)))),
            Some(o) => {
                // An empty secret value keeps the stored one: no change.
                let value_changed = if v.is_secret && v.value.expose().is_empty() {
                    false
                } else {
                    o.is_secret || o.value != v.value
                };
                if value_changed || o.is_secret != v.is_secret {
                    out.push(ConfirmLine::Changed {
                        what: v.key.clone(),
                        old: shown(o),
                        new: if v.is_secret && !value_changed {
                            format!("{} (secret, value kept)", SECRET_MASK)
                        } else if v.is_secret && o.is_secret {
                            format!("{} (new value, stays secret)", SECRET_MASK)
                        } else {
                            shown(v)
                        },
                    });
                }
            }
        }
    }
    for o in old {
        if !new.iter().any(|v| v.key == o.key) {
            out.push(ConfirmLine::Removed(format!("{} = {}", o.key, shown(o))));
        }
    }
    let changed = |key: &str| {
        out.iter()
            .any(|l| matches!(l, ConfirmLine::Changed { what, .. } if what == key))
    };
    let unchanged = old
        .iter()
        .filter(|o| new.iter().any(|v| v.key == o.key) && !changed(&o.key))
        .count();
    out.push(ConfirmLine::Text(format!(
        "{} variable{} unchanged.",
        unchanged,
        if unchanged == 1 { "" } else { "s" }
    )));
    out
}

fn review(d: &Deployment, old: &[EnvVarInput], new: Vec<EnvVarInput>) -> Plan {
    Plan::Review {
        title: format!("Apply these environment variables to {}?", d.label),
        lines: diff(old, &new),
        mutation: Mutation::SetVariables {
            id: d.id.clone(),
            release_name: d.release_name.clone(),
            variables: new,
        },
    }
}

fn check_key_field(form: &mut Form, taken: &[EnvVar], except: Option<&str>) {
    let key = form.text(FieldId::Key);
    if let Err(e) = check_key(&key) {
        form.set_error(FieldId::Key, e);
    } else if taken
        .iter()
        .any(|v| v.key == key && Some(key.as_str()) != except)
    {
        form.set_error(
            FieldId::Key,
            format!("{key} already exists: edit it instead"),
        );
    }
}

pub(crate) fn plan_add(state: &AppState, id: &DeploymentId, form: &mut Form) -> Option<Plan> {
    let d = state.cache.deployment(id)?;
    let vars = state.cache.variables(id)?;
    if !form.validate(|f| check_key_field(f, vars, None)) {
        return None;
    }
    let old = current_set(vars);
    let mut new = old.clone();
    new.push(EnvVarInput {
        key: form.text(FieldId::Key),
        value: Secret(form.value(FieldId::Value)),
        is_secret: form.value(FieldId::Secret) == "yes",
    });
    Some(review(d, &old, new))
}

pub(crate) fn plan_edit(
    state: &AppState,
    id: &DeploymentId,
    key: &str,
    form: &mut Form,
) -> Option<Plan> {
    let d = state.cache.deployment(id)?;
    let vars = state.cache.variables(id)?;
    let was = vars.iter().find(|v| v.key == key)?;
    let secret = form.value(FieldId::Secret) == "yes";
    let value = form.value(FieldId::Value);
    let ok = form.validate(|f| {
        check_key_field(f, vars, Some(key));
        // A secret's value is never shown, so it cannot silently become plain.
        if was.is_secret && !secret && value.is_empty() {
            f.set_error(
                FieldId::Value,
                "Enter a new value: a secret's stored value cannot be made visible",
            );
        }
    });
    if !ok {
        return None;
    }
    let new_key = form.text(FieldId::Key);
    let old = current_set(vars);
    let renamed = new_key != key;
    let new = old
        .iter()
        .map(|v| {
            if v.key != key {
                return v.clone();
            }
            EnvVarInput {
                key: new_key.clone(),
                // Renaming a secret needs its value again: Houston keeps values by key.
                value: Secret(value.clone()),
                is_secret: secret,
            }
        })
        .collect::<Vec<_>>();
    if renamed && was.is_secret && value.is_empty() {
        form.set_error(FieldId::Value, "Renaming a secret needs its value again");
        return None;
    }
    Some(review(d, &old, new))
}

/// Deleting one variable: the set without it.
pub(crate) fn plan_delete(state: &AppState, id: &DeploymentId, key: &str) -> Option<Plan> {
    let d = state.cache.deployment(id)?;
    let old = current_set(state.cache.variables(id)?);
    let new = old.iter().filter(|v| v.key != key).cloned().collect();
    Some(review(d, &old, new))
}

pub(crate) fn plan_import(form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    let home = directories::BaseDirs::new();
    let path = crate::config::expand_home(
        Path::new(&form.text(FieldId::Path)),
        home.as_ref().map(|b| b.home_dir()),
    );
    Some(Plan::ReadFile(path))
}

/// The variables of an import once the file's text is here; problems go on the form.
pub(crate) fn parse_import(form: &mut Form, text: &str) -> Option<Vec<(String, String)>> {
    let imported = match dotenv::parse(text) {
        Ok(v) if v.is_empty() => {
            form.set_error(FieldId::Path, "The file holds no variables");
            return None;
        }
        Ok(v) => v,
        Err(e) => {
            form.set_error(FieldId::Path, e);
            return None;
        }
    };
    if let Some(e) = imported.iter().find_map(|(k, _)| check_key(k).err()) {
        form.set_error(FieldId::Path, e);
        return None;
    }
    Some(imported)
}

/// What the user asks for: `base` with the form's change applied. An import onto an existing
/// secret keeps it secret unless the form says otherwise.
pub(crate) fn mine(
    kind: &FormKind,
    form: &Form,
    base: &VarSet,
    imported: Option<&[(String, String)]>,
) -> VarSet {
    let mut out = base.clone();
    let secret = form.value(FieldId::Secret) == "yes";
    match kind {
        FormKind::AddVariable(_) => {
            out.insert(
                form.text(FieldId::Key),
                Var {
                    value: Secret(form.value(FieldId::Value)),
                    secret,
                },
            );
        }
        FormKind::EditVariable { key, .. } => {
            out.remove(key);
            out.insert(
                form.text(FieldId::Key),
                Var {
                    value: Secret(form.value(FieldId::Value)),
                    secret,
                },
            );
        }
        FormKind::ImportEnv(_) => {
            let keep_secret = form.value(FieldId::KeepSecret) != "no";
            for (key, value) in imported.unwrap_or(&[]) {
                let was_secret = base.get(key).is_some_and(|v| v.secret);
                out.insert(
                    key.clone(),
                    Var {
                        value: Secret(value.clone()),
                        secret: secret || (was_secret && keep_secret),
                    },
                );
            }
        }
        _ => {}
    }
    out
}

/// The review of `result` against what the server holds now (the cache, just read): the set
/// in the server's order, new variables last.
pub(crate) fn review_set(state: &AppState, id: &DeploymentId, result: &VarSet) -> Option<Plan> {
    let d = state.cache.deployment(id)?;
    let theirs = state.cache.variables(id)?;
    let old = current_set(theirs);
    let input = |key: &String, v: &Var| EnvVarInput {
        key: key.clone(),
        value: v.value.clone(),
        is_secret: v.secret,
    };
    let mut new: Vec<EnvVarInput> = theirs
        .iter()
        .filter_map(|t| result.get(&t.key).map(|v| input(&t.key, v)))
        .collect();
    new.extend(
        result
            .iter()
            .filter(|(k, _)| !theirs.iter().any(|t| &t.key == *k))
            .map(|(k, v)| input(k, v)),
    );
    Some(review(d, &old, new))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(key: &str, value: &str, secret: bool) -> EnvVarInput {
        EnvVarInput {
            key: key.into(),
            value: Secret(value.into()),
            is_secret: secret,
        }
    }

    #[test]
    fn keys_follow_houstons_rule() {
        assert!(check_key("MY_VAR_1").is_ok());
        assert!(check_key("_X").is_ok());
        assert!(check_key("lower").is_err());
        assert!(check_key("___").is_err());
        assert!(check_key("1ABC").is_err());
        assert!(
            check_key("AIRFLOW__CORE__FERNET_KEY")
                .unwrap_err()
                .contains("set automatically")
        );
    }

    #[test]
    fn diff_of_the_whole_set_masks_secrets() {
        let old = vec![
            var("A", "1", false),
            var("S", "", true),
            var("GONE", "x", false),
        ];
        let new = vec![
            var("A", "2", false),
            var("S", "", true),
            var("NEW", "k", true),
        ];
        let lines = diff(&old, &new);
        assert!(lines.contains(&ConfirmLine::Changed {
            what: "A".into(),
            old: "1".into(),
            new: "2".into()
        }));
        assert!(lines.contains(&ConfirmLine::Added(format!("NEW = {SECRET_MASK} (secret)"))));
        assert!(lines.contains(&ConfirmLine::Removed("GONE = x".into())));
        assert!(
            !lines
                .iter()
                .any(|l| matches!(l, ConfirmLine::Changed { what, .. } if what == "S"))
        );
        assert_eq!(
            lines.last(),
            Some(&ConfirmLine::Text("1 variable unchanged.".into()))
        );
    }
}
