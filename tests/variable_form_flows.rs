//! Reducer flows of changes to a deployment's environment variables: secrets keep their value,
//! invalid and reserved keys are refused with Houston's rule, a secret cannot become plain, the set
//! diff on delete, importing a dotenv file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::forms::FieldId;
use astrodash::app::modal::ConfirmLine;
use astrodash::app::msg::{Msg, Secret};
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::mutation::{EnvVarInput, Mutation};
use common::forms::*;
use common::*;
use crossterm::event::KeyCode;

#[test]
fn secrets_keep_their_value_when_other_variables_change() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ch('n'));
    type_text(&mut s, "NEW_KEY");
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "v1");
    let fx = update(&mut s, ctrl('s'));
    answer_reads(&mut s, &fx);
    let c = top_confirm(&s);
    assert!(c.lines.contains(&ConfirmLine::Added("NEW_KEY = v1".into())));
    let fx = update(&mut s, key(KeyCode::Enter));
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    let Mutation::SetVariables { variables, .. } = m else {
        panic!()
    };
    // The whole set: the secret goes back with an empty value (Houston keeps its value).
    assert!(variables.contains(&EnvVarInput {
        key: "SNOWFLAKE_PASSWORD".into(),
        value: Secret(String::new()),
        is_secret: true
    }));
    assert!(variables.contains(&EnvVarInput {
        key: "NEW_KEY".into(),
        value: Secret("v1".into()),
        is_secret: false
    }));
    assert_eq!(variables.len(), 4);
}

#[test]
fn invalid_and_reserved_keys_are_refused_with_houstons_rule() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ch('n'));
    type_text(&mut s, "lower-case");
    no_mutation(&update(&mut s, ctrl('s')));
    assert!(
        top_form(&s)
            .form
            .field(FieldId::Key)
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .starts_with("Invalid Environment Variable Key")
    );
    for _ in 0.."lower-case".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "AIRFLOW__CORE__FERNET_KEY");
    update(&mut s, ctrl('s'));
    assert_eq!(
        top_form(&s)
            .form
            .field(FieldId::Key)
            .unwrap()
            .error
            .as_deref(),
        Some("AIRFLOW__CORE__FERNET_KEY is set automatically and cannot be overridden")
    );
    for _ in 0.."AIRFLOW__CORE__FERNET_KEY".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "ENVIRONMENT");
    update(&mut s, ctrl('s'));
    assert_eq!(
        top_form(&s)
            .form
            .field(FieldId::Key)
            .unwrap()
            .error
            .as_deref(),
        Some("ENVIRONMENT already exists: edit it instead")
    );
}

#[test]
fn a_secret_cannot_silently_become_plain() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    // SNOWFLAKE_PASSWORD is third by name.
    update(&mut s, ch('G'));
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Left));
    no_mutation(&update(&mut s, ctrl('s')));
    assert!(
        top_form(&s)
            .form
            .field(FieldId::Value)
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("Enter a new value")
    );
}

#[test]
fn deleting_a_variable_shows_the_set_diff() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ctrl('d'));
    let c = top_confirm(&s);
    assert!(c.lines.contains(&ConfirmLine::Removed(
        "AIRFLOW__CORE__PARALLELISM = 64".into()
    )));
    // Read again before deleting: unchanged, so deleted.
    let fx = update(&mut s, key(KeyCode::Enter));
    no_mutation(&fx);
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    let Mutation::SetVariables { variables, .. } = m else {
        panic!()
    };
    assert_eq!(variables.len(), 2);
}

#[test]
fn importing_a_dotenv_file() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ch('i'));
    type_text(&mut s, "/tmp/prod.env");
    let fx = update(&mut s, ctrl('s'));
    assert_eq!(
        fx,
        vec![Effect::ReadFile {
            path: "/tmp/prod.env".into()
        }]
    );
    // A file that cannot be read: said on the field.
    update(
        &mut s,
        Msg::FileRead {
            path: "/tmp/prod.env".into(),
            result: Err("cannot read /tmp/prod.env: No such file or directory".into()),
        },
    );
    assert!(
        top_form(&s)
            .form
            .field(FieldId::Path)
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("No such file")
    );
    update(&mut s, ctrl('s'));
    let fx = update(
        &mut s,
        Msg::FileRead {
            path: "/tmp/prod.env".into(),
            result: Ok("# prod\nexport ENVIRONMENT=\"prod eu\"\nNEW_ONE=1 # inline\n".into()),
        },
    );
    answer_reads(&mut s, &fx);
    let c = top_confirm(&s);
    assert!(c.lines.contains(&ConfirmLine::Changed {
        what: "ENVIRONMENT".into(),
        old: "production".into(),
        new: "prod eu".into()
    }));
    assert!(c.lines.contains(&ConfirmLine::Added("NEW_ONE = 1".into())));
    let fx = update(&mut s, key(KeyCode::Enter));
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    assert!(matches!(m, Mutation::SetVariables { variables, .. } if variables.len() == 4));
}
