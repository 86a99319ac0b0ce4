//! Reducer flows: messages in, state and the exact effects out. No terminal, no network.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::msg::{Msg, Payload, Request, RequestKey, Secret, UrlKind};
use astrodash::app::state::*;
use astrodash::app::update::{init, update};
use astrodash::houston::ApiError;
use astrodash::platform::{CopyOutcome, OpenOutcome};
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The sequence number of the fetch for `key` among `effects`.
fn seq_of(effects: &[Effect], key: &RequestKey) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { seq, request } if &request.key() == key => Some(*seq),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch for {key:?} in {effects:?}"))
}

fn fetch(seq: u64, request: Request) -> Effect {
    Effect::Fetch { seq, request }
}

fn workspaces_request() -> Request {
    Request::Workspaces {
        me_id: Some("u-ada".into()),
    }
}

fn deployments_request() -> Request {
    Request::Deployments {
        workspace_id: "ws-data".into(),
    }
}

/// Start with a token and load the account dashboard through real messages.
fn boot() -> AppState {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    let fx = init(&mut s);
    assert_eq!(fx, vec![fetch(1, Request::Me)]);
    let fx = update(&mut s, reply(RequestKey::Me, 1, 0, Payload::Me(me())));
    assert_eq!(fx, vec![fetch(2, workspaces_request())]);
    let fx = update(
        &mut s,
        reply(
            RequestKey::Workspaces,
            2,
            0,
            Payload::Workspaces(workspaces()),
        ),
    );
    assert!(fx.is_empty());
    s
}

/// From the account dashboard into "Data Platform" with its deployments loaded.
fn into_workspace(s: &mut AppState) {
    let fx = update(s, key(KeyCode::Enter));
    let seq = seq_of(&fx, &RequestKey::Deployments("ws-data".into()));
    assert_eq!(fx, vec![fetch(seq, deployments_request())]);
    update(
        s,
        reply(
            RequestKey::Deployments("ws-data".into()),
            seq,
            0,
            Payload::Deployments(deployments()),
        ),
    );
}

#[test]
fn startup_fetches_me_then_workspaces() {
    let s = boot();
    assert_eq!(
        s.me.data()
            .and_then(|m| m.id.as_ref())
            .map(|id| id.as_str()),
        Some("u-ada")
    );
    assert_eq!(s.workspaces.data().map(Vec::len), Some(3));
    assert_eq!(s.route(), &Route::Account);
    assert!(s.in_flight.is_empty());
}

#[test]
fn navigation_account_workspace_deployment_and_back() {
    let mut s = boot();
    into_workspace(&mut s);
    assert_eq!(
        s.route(),
        &Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments
        }
    );
    assert_eq!(
        s.breadcrumbs(),
        vec!["demo", "Data Platform", "Deployments"]
    );

    // Second row: "reporting".
    assert!(update(&mut s, ch('j')).is_empty());
    let fx = update(&mut s, key(KeyCode::Enter));
    let seq = seq_of(&fx, &RequestKey::Deployment("d-rep".into()));
    assert_eq!(
        fx,
        vec![fetch(
            seq,
            Request::Deployment {
                deployment_id: "d-rep".into()
            }
        )]
    );
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-rep".into(),
            tab: DeploymentTab::Overview
        }
    );
    assert_eq!(
        s.breadcrumbs(),
        vec!["demo", "Data Platform", "reporting", "Overview"]
    );

    // Back while the deployment request is still in flight: it is cancelled.
    let fx = update(&mut s, key(KeyCode::Esc));
    let list_seq = seq_of(&fx, &RequestKey::Deployments("ws-data".into()));
    assert_eq!(
        fx,
        vec![
            Effect::Cancel(RequestKey::Deployment("d-rep".into())),
            fetch(list_seq, deployments_request()),
        ]
    );
    // A late reply for the cancelled request is ignored.
    let mut d = deployments()[1].clone();
    d.label = "late".into();
    assert!(
        update(
            &mut s,
            reply(
                RequestKey::Deployment("d-rep".into()),
                seq,
                1,
                Payload::Deployment(Box::new(d))
            )
        )
        .is_empty()
    );
    assert!(s.deployment.get("d-rep").and_then(|r| r.data()).is_none());

    let fx = update(&mut s, key(KeyCode::Esc));
    let seq = seq_of(&fx, &RequestKey::Workspaces);
    assert_eq!(
        fx,
        vec![
            Effect::Cancel(RequestKey::Deployments("ws-data".into())),
            fetch(seq, workspaces_request())
        ]
    );
    assert_eq!(s.route(), &Route::Account);
    // Esc on the top level does nothing.
    assert!(update(&mut s, key(KeyCode::Esc)).is_empty());
    assert_eq!(s.routes.len(), 1);
}

#[test]
fn tabs_switch_and_fetch_only_the_new_tab() {
    let mut s = boot();
    into_workspace(&mut s);
    let fx = update(&mut s, key(KeyCode::Tab));
    let users = seq_of(&fx, &RequestKey::WorkspaceUsers("ws-data".into()));
    let invites = seq_of(&fx, &RequestKey::WorkspaceInvites("ws-data".into()));
    assert_eq!(
        fx,
        vec![
            fetch(
                users,
                Request::WorkspaceUsers {
                    workspace_id: "ws-data".into()
                }
            ),
            fetch(
                invites,
                Request::WorkspaceInvites {
                    workspace_id: "ws-data".into()
                }
            ),
        ]
    );
    assert!(matches!(
        s.route(),
        Route::Workspace {
            tab: WorkspaceTab::Users,
            ..
        }
    ));

    let fx = update(&mut s, ch('4'));
    let seq = seq_of(&fx, &RequestKey::Workspaces);
    assert_eq!(
        fx,
        vec![
            Effect::Cancel(RequestKey::WorkspaceUsers("ws-data".into())),
            Effect::Cancel(RequestKey::WorkspaceInvites("ws-data".into())),
            fetch(seq, workspaces_request()),
        ]
    );
    assert!(matches!(
        s.route(),
        Route::Workspace {
            tab: WorkspaceTab::Settings,
            ..
        }
    ));

    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    );
    assert!(matches!(
        s.route(),
        Route::Workspace {
            tab: WorkspaceTab::ServiceAccounts,
            ..
        }
    ));
    assert!(fx.contains(&fetch(
        seq_of(&fx, &RequestKey::WorkspaceServiceAccounts("ws-data".into())),
        Request::WorkspaceServiceAccounts {
            workspace_id: "ws-data".into()
        }
    )));
    // A tab number out of range changes nothing.
    assert!(update(&mut s, ch('9')).is_empty());
}

#[test]
fn deployment_variables_tab_uses_the_release_name() {
    let mut s = boot();
    into_workspace(&mut s);
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, ch('2'));
    let seq = seq_of(&fx, &RequestKey::DeploymentVariables("d-etl".into()));
    assert!(fx.contains(&fetch(
        seq,
        Request::DeploymentVariables {
            deployment_id: "d-etl".into(),
            release_name: "quantum-nebula-1234".into()
        }
    )));
}

#[test]
fn latest_reply_wins() {
    let mut s = boot();
    let first = update(&mut s, ctrl('r'));
    let second = update(&mut s, ctrl('r'));
    let old = seq_of(&first, &RequestKey::Workspaces);
    let new = seq_of(&second, &RequestKey::Workspaces);
    assert!(new > old);

    let mut newest = workspaces();
    newest.truncate(1);
    update(
        &mut s,
        reply(RequestKey::Workspaces, new, 2, Payload::Workspaces(newest)),
    );
    // The older request answers last: dropped.
    update(
        &mut s,
        reply(
            RequestKey::Workspaces,
            old,
            3,
            Payload::Workspaces(workspaces()),
        ),
    );
    assert_eq!(s.workspaces.data().map(Vec::len), Some(1));
}

#[test]
fn failure_keeps_data_backs_off_and_recovers() {
    let mut s = boot();
    into_workspace(&mut s);
    let key = RequestKey::Deployments("ws-data".into());

    // The refresh falls due and fails.
    let due = s.next_refresh_at.unwrap();
    let fx = update(&mut s, Msg::Tick(due));
    let seq = seq_of(&fx, &key);
    let fx = update(
        &mut s,
        Msg::Api {
            key: key.clone(),
            seq,
            at: due,
            result: Err(ApiError::Network("connection refused".into())),
        },
    );
    assert!(fx.is_empty());
    let remote = &s.deployments["ws-data"];
    assert!(remote.is_failed());
    assert_eq!(remote.data().map(Vec::len), Some(4), "last data stays");
    assert_eq!(s.failures, 1);
    assert_eq!(s.next_refresh_at, Some(due + chrono::Duration::seconds(2)));
    assert_eq!(s.message.as_ref().map(|m| m.level), Some(Level::Error));
    assert!(s.view_status().failed.is_some());

    // Nothing before the back-off deadline; a retry at it; the next failure waits longer.
    assert!(update(&mut s, Msg::Tick(due + chrono::Duration::seconds(1))).is_empty());
    let retry_at = due + chrono::Duration::seconds(2);
    let fx = update(&mut s, Msg::Tick(retry_at));
    let seq = seq_of(&fx, &key);
    update(
        &mut s,
        Msg::Api {
            key: key.clone(),
            seq,
            at: retry_at,
            result: Err(ApiError::Timeout),
        },
    );
    assert_eq!(s.failures, 2);
    assert_eq!(
        s.next_refresh_at,
        Some(retry_at + chrono::Duration::seconds(4))
    );

    // The server is back: fresh data, error cleared, normal schedule.
    let back_at = retry_at + chrono::Duration::seconds(4);
    let fx = update(&mut s, Msg::Tick(back_at));
    let seq = seq_of(&fx, &key);
    let mut fresh = deployments();
    fresh.truncate(2);
    update(
        &mut s,
        Msg::Api {
            key,
            seq,
            at: back_at,
            result: Ok(Payload::Deployments(fresh)),
        },
    );
    assert_eq!(s.failures, 0);
    assert!(!s.deployments["ws-data"].is_failed());
    assert_eq!(s.deployments["ws-data"].data().map(Vec::len), Some(2));
    assert_eq!(
        s.message.as_ref().map(|m| (m.level, m.text.as_str())),
        Some((Level::Info, "Connection restored"))
    );
    assert_eq!(
        s.next_refresh_at,
        Some(back_at + chrono::Duration::seconds(5))
    );
}

#[test]
fn backoff_schedule_is_capped() {
    use astrodash::app::update::backoff_secs;
    let secs: Vec<i64> = (1..=7).map(backoff_secs).collect();
    assert_eq!(secs, vec![2, 4, 8, 16, 30, 30, 30]);
}

#[test]
fn refresh_only_fetches_the_visible_view() {
    let mut s = boot();
    into_workspace(&mut s);
    let due = s.next_refresh_at.unwrap();
    assert!(update(&mut s, Msg::Tick(due - chrono::Duration::seconds(1))).is_empty());
    let fx = update(&mut s, Msg::Tick(due));
    let seq = seq_of(&fx, &RequestKey::Deployments("ws-data".into()));
    assert_eq!(fx, vec![fetch(seq, deployments_request())]);
    // Still in flight at the next due time: not asked twice.
    let next = s.next_refresh_at.unwrap();
    assert!(update(&mut s, Msg::Tick(next)).is_empty());
}

#[test]
fn forbidden_on_me_goes_to_login() {
    let mut s = AppState::new(&settings(Some("bad")), now(), false);
    init(&mut s);
    let fx = update(
        &mut s,
        Msg::Api {
            key: RequestKey::Me,
            seq: 1,
            at: now(),
            result: Err(ApiError::Forbidden(
                "You do not have the appropriate permissions".into(),
            )),
        },
    );
    assert!(s.login.is_some());
    assert_eq!(s.key_context(), astrodash::app::keymap::KeyContext::Login);
    let seq = seq_of(&fx, &RequestKey::AuthConfig);
    assert_eq!(fx, vec![fetch(seq, Request::AuthConfig)]);
}

#[test]
fn forbidden_elsewhere_is_a_permission_message_unless_the_token_expired() {
    let mut s = boot();
    into_workspace(&mut s);
    let fx = update(&mut s, ctrl('r'));
    let seq = seq_of(&fx, &RequestKey::Deployments("ws-data".into()));
    update(
        &mut s,
        Msg::Api {
            key: RequestKey::Deployments("ws-data".into()),
            seq,
            at: now(),
            result: Err(ApiError::Forbidden("not allowed".into())),
        },
    );
    assert!(s.login.is_none());
    assert_eq!(s.failures, 0, "no back-off for a permission error");
    assert!(
        s.message
            .as_ref()
            .unwrap()
            .text
            .contains("Permission denied")
    );

    // Same reply after the token's exp: log in again.
    s.token_expires_at = Some(ago(10));
    let fx = update(&mut s, ctrl('r'));
    let seq = seq_of(&fx, &RequestKey::Deployments("ws-data".into()));
    update(
        &mut s,
        Msg::Api {
            key: RequestKey::Deployments("ws-data".into()),
            seq,
            at: now(),
            result: Err(ApiError::Forbidden("token expired".into())),
        },
    );
    assert!(s.login.is_some());
}

fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        update(s, ch(c));
    }
}

#[test]
fn password_login_success_goes_to_account() {
    let mut s = AppState::new(&settings(None), now(), false);
    let fx = init(&mut s);
    assert_eq!(fx, vec![fetch(1, Request::AuthConfig)]);
    update(
        &mut s,
        reply(
            RequestKey::AuthConfig,
            1,
            0,
            Payload::AuthConfig(astrodash::houston::model::AuthConfig {
                local_enabled: true,
                public_signup: false,
                initial_signup: false,
                providers: vec![],
            }),
        ),
    );
    type_text(&mut s, "ada");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "pw1");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Login {
            username: "ada".into(),
            password: Secret("pw1".into())
        }]
    );

    // A failure keeps what was typed and shows the server's words.
    update(
        &mut s,
        Msg::LoginResult {
            at: now(),
            result: Err(ApiError::graphql("Invalid password")),
        },
    );
    let login = s.login.as_ref().unwrap();
    assert_eq!(login.error.as_deref(), Some("Invalid password"));
    assert_eq!(login.username.value(), "ada");
    assert_eq!(login.password.value(), "pw1");

    update(&mut s, key(KeyCode::Enter));
    let fx = update(
        &mut s,
        Msg::LoginResult {
            at: now(),
            result: Ok(Secret("jwt".into())),
        },
    );
    let seq = seq_of(&fx, &RequestKey::Me);
    assert_eq!(
        fx,
        vec![
            Effect::UseToken(Secret("jwt".into())),
            fetch(seq, Request::Me)
        ]
    );
    assert!(s.login.is_none());
    assert_eq!(s.route(), &Route::Account);
}

#[test]
fn token_paste_login() {
    let mut s = AppState::new(&settings(None), now(), false);
    init(&mut s);
    update(&mut s, ctrl('t'));
    assert_eq!(s.login.as_ref().unwrap().mode, LoginMode::Token);
    update(&mut s, Msg::Paste("abc.def.ghi\n".into()));
    let fx = update(&mut s, key(KeyCode::Enter));
    let seq = seq_of(&fx, &RequestKey::Me);
    assert_eq!(
        fx,
        vec![
            Effect::UseToken(Secret("abc.def.ghi".into())),
            // The login screen's own request is no longer needed.
            Effect::Cancel(RequestKey::AuthConfig),
            fetch(seq, Request::Me)
        ]
    );
    assert!(s.login.is_none());
}

#[test]
fn flower_needs_celery_and_open_uses_the_deployment_url() {
    let mut s = boot();
    into_workspace(&mut s);
    // Row 1 "prod-etl" is Celery.
    let fx = update(&mut s, ch('o'));
    assert_eq!(
        fx,
        vec![Effect::OpenUrl {
            url: "https://deployments.example.com/quantum-nebula-1234/airflow".into(),
            what: UrlKind::Airflow
        }]
    );
    let fx = update(&mut s, ch('f'));
    assert_eq!(
        fx,
        vec![Effect::OpenUrl {
            url: "https://deployments.example.com/quantum-nebula-1234/flower".into(),
            what: UrlKind::Flower
        }]
    );
    // Row 2 "reporting" is Kubernetes.
    update(&mut s, ch('j'));
    assert!(update(&mut s, ch('f')).is_empty());
    assert_eq!(
        s.message.as_ref().map(|m| m.text.as_str()),
        Some("Flower is only available for the Celery executor")
    );
    // On the deployment dashboard too.
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, ch('o'));
    assert_eq!(
        fx,
        vec![Effect::OpenUrl {
            url: "https://deployments.example.com/stellar-orbit-5678/airflow".into(),
            what: UrlKind::Airflow
        }]
    );
}

#[test]
fn show_url_outcome_opens_popup_and_copies() {
    let mut s = boot();
    let url = "https://deployments.example.com/x/airflow".to_string();
    let fx = update(
        &mut s,
        Msg::OpenResult {
            url: url.clone(),
            what: UrlKind::Airflow,
            outcome: OpenOutcome::ShowUrl {
                reason: "over SSH".into(),
            },
        },
    );
    assert_eq!(
        fx,
        vec![Effect::Copy {
            text: url.clone(),
            label: "Airflow UI URL".into()
        }]
    );
    match &s.overlay {
        Some(Overlay::Url(p)) => {
            assert_eq!(p.url, url);
            assert_eq!(p.reason, "over SSH");
            assert_eq!(
                p.copy,
                CopyStatus::Pending,
                "not copied until the loop says so"
            );
        }
        other => panic!("expected the URL popup, got {other:?}"),
    }
    update(
        &mut s,
        Msg::CopyResult {
            text: url.clone(),
            label: "Airflow UI URL".into(),
            outcome: CopyOutcome::Copied,
        },
    );
    assert!(matches!(&s.overlay, Some(Overlay::Url(p)) if p.copy == CopyStatus::Copied));
    update(
        &mut s,
        Msg::CopyResult {
            text: url.clone(),
            label: "Airflow UI URL".into(),
            outcome: CopyOutcome::TooLong,
        },
    );
    assert!(matches!(&s.overlay, Some(Overlay::Url(p)) if p.copy == CopyStatus::TooLong));
    // Keys go to the popup, Esc closes it.
    assert!(update(&mut s, ch('j')).is_empty());
    update(&mut s, key(KeyCode::Esc));
    assert!(s.overlay.is_none());

    update(
        &mut s,
        Msg::OpenResult {
            url,
            what: UrlKind::Airflow,
            outcome: OpenOutcome::Opened,
        },
    );
    assert_eq!(
        s.message.as_ref().map(|m| m.text.as_str()),
        Some("Opened Airflow UI in your browser")
    );
    // Info flashes clear by themselves.
    update(&mut s, Msg::Tick(later(5)));
    assert!(s.message.is_none());
}

#[test]
fn filter_narrows_rows_live() {
    let mut s = boot();
    into_workspace(&mut s);
    let table = TableId::Deployments("ws-data".into());
    update(&mut s, ch('/'));
    type_text(&mut s, "REP");
    assert_eq!(s.visible_rows(&table), vec![1]);
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-rep"));
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(s.visible_rows(&table).len(), 4);
    type_text(&mut s, "stag");
    // Enter keeps the filter and leaves the input.
    update(&mut s, key(KeyCode::Enter));
    assert!(s.filter_input.is_none());
    assert_eq!(s.visible_rows(&table), vec![2]);
    // Keys work on the filtered table; Esc then clears the filter before going back.
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.route(), Route::Deployment { id, .. } if id == "d-stg"));
    assert!(!fx.is_empty());
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.visible_rows(&table).len(), 4);
    assert!(matches!(s.route(), Route::Workspace { .. }));

    // Esc while typing clears.
    update(&mut s, ch('/'));
    type_text(&mut s, "zzz");
    assert!(s.visible_rows(&table).is_empty());
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.visible_rows(&table).len(), 4);
}

#[test]
fn movement_keys_clamp() {
    let mut s = boot();
    into_workspace(&mut s);
    let table = TableId::Deployments("ws-data".into());
    update(&mut s, ch('G'));
    assert_eq!(s.table_state(&table).selected, 3);
    update(&mut s, ch('j'));
    assert_eq!(s.table_state(&table).selected, 3);
    update(&mut s, ch('g'));
    assert_eq!(s.table_state(&table).selected, 0);
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.table_state(&table).selected, 3);
    update(&mut s, key(KeyCode::Up));
    assert_eq!(s.table_state(&table).selected, 2);
    update(&mut s, key(KeyCode::Home));
    assert_eq!(s.table_state(&table).selected, 0);
}

#[test]
fn copy_selected_release_name() {
    let mut s = boot();
    into_workspace(&mut s);
    update(&mut s, ch('j'));
    let fx = update(&mut s, ch('y'));
    assert_eq!(
        fx,
        vec![Effect::Copy {
            text: "stellar-orbit-5678".into(),
            label: "release name".into()
        }]
    );
    assert!(
        s.message.is_none(),
        "nothing claimed before the copy happened"
    );

    update(
        &mut s,
        Msg::CopyResult {
            text: "stellar-orbit-5678".into(),
            label: "release name".into(),
            outcome: CopyOutcome::Copied,
        },
    );
    let m = s.message.clone().unwrap();
    assert_eq!(m.level, Level::Info);
    assert_eq!(
        m.text,
        "Copied release name stellar-orbit-5678 to the clipboard (OSC 52)"
    );

    let long = "x".repeat(100_000);
    update(
        &mut s,
        Msg::CopyResult {
            text: long,
            label: "variable name".into(),
            outcome: CopyOutcome::TooLong,
        },
    );
    let m = s.message.clone().unwrap();
    assert_eq!(m.level, Level::Error);
    assert!(m.text.contains("too long to copy"), "{}", m.text);
    assert!(!m.text.contains("Copied"), "{}", m.text);

    update(
        &mut s,
        Msg::CopyResult {
            text: "x".into(),
            label: "e-mail".into(),
            outcome: CopyOutcome::Failed("broken pipe".into()),
        },
    );
    let m = s.message.clone().unwrap();
    assert_eq!(m.level, Level::Error);
    assert_eq!(m.text, "Could not copy the e-mail: broken pipe");
}

#[test]
fn help_overlay_opens_and_closes() {
    let mut s = boot();
    update(&mut s, ch('?'));
    assert_eq!(s.overlay, Some(Overlay::Help));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.overlay.is_none());
}

#[test]
fn errors_stay_until_esc() {
    let mut s = boot();
    let fx = update(&mut s, ctrl('r'));
    let seq = seq_of(&fx, &RequestKey::Workspaces);
    update(
        &mut s,
        Msg::Api {
            key: RequestKey::Workspaces,
            seq,
            at: now(),
            result: Err(ApiError::graphql("boom")),
        },
    );
    update(&mut s, Msg::Tick(later(60)));
    assert_eq!(s.message.as_ref().map(|m| m.text.as_str()), Some("boom"));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.message.is_none());
}

#[test]
fn quit_keys() {
    let mut s = boot();
    assert_eq!(update(&mut s, ch('q')), vec![Effect::Quit]);
    assert!(s.quit);
    let mut s = boot();
    assert_eq!(update(&mut s, ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn two_failures_in_one_round_back_off_once() {
    let mut s = boot();
    into_workspace(&mut s);
    let fx = update(&mut s, key(KeyCode::Tab));
    for (key, seq) in [
        RequestKey::WorkspaceUsers("ws-data".into()),
        RequestKey::WorkspaceInvites("ws-data".into()),
    ]
    .map(|k| {
        let seq = seq_of(&fx, &k);
        (k, seq)
    }) {
        update(
            &mut s,
            Msg::Api {
                key,
                seq,
                at: now(),
                result: Err(ApiError::Network("down".into())),
            },
        );
    }
    assert_eq!(s.failures, 1);
    assert_eq!(s.next_refresh_at, Some(later(2)));
}

#[test]
fn copy_on_the_deployment_dashboard_takes_the_airflow_url() {
    let mut s = boot();
    into_workspace(&mut s);
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, ch('y'));
    assert_eq!(
        fx,
        vec![Effect::Copy {
            text: "https://deployments.example.com/quantum-nebula-1234/airflow".into(),
            label: "Airflow URL".into()
        }]
    );
}

#[test]
fn paste_into_the_filter() {
    let mut s = boot();
    update(&mut s, ch('/'));
    update(&mut s, Msg::Paste("sandbox".into()));
    assert_eq!(s.visible_rows(&TableId::Workspaces), vec![1]);
    // Typing q while filtering is text, not quit.
    assert!(update(&mut s, ch('q')).is_empty());
    assert!(!s.quit);
    assert_eq!(update(&mut s, ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn a_service_account_key_loads_workspaces_and_deployments() {
    let mut s = AppState::new(
        &settings(Some("0123456789abcdef0123456789abcdef")),
        now(),
        false,
    );
    let fx = init(&mut s);
    assert_eq!(fx, vec![fetch(1, Request::Me)]);
    let sa = astrodash::houston::model::Me::service_account(false);
    let fx = update(&mut s, reply(RequestKey::Me, 1, 0, Payload::Me(sa)));
    // No user id to look for in the role bindings.
    assert_eq!(fx, vec![fetch(2, Request::Workspaces { me_id: None })]);
    assert!(s.login.is_none(), "no detour to the login screen");
    assert!(s.message.is_none(), "no error: {:?}", s.message);
    update(
        &mut s,
        reply(
            RequestKey::Workspaces,
            2,
            0,
            Payload::Workspaces(workspaces()),
        ),
    );
    into_workspace(&mut s);
    assert_eq!(
        s.deployments
            .get("ws-data")
            .and_then(|r| r.data())
            .map(Vec::len),
        Some(deployments().len())
    );
    let screen = render(&s, 120, 30);
    assert!(screen.contains("service account"), "header:\n{screen}");
}

#[test]
fn a_workspace_viewer_does_not_ask_for_invites() {
    let mut s = boot();
    // "Quarterly Revenue…" (ws-long): I am a viewer there, without `canInviteUser`.
    update(&mut s, ch('G'));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.route(),
        &Route::Workspace {
            id: "ws-long".into(),
            tab: WorkspaceTab::Deployments
        }
    );
    assert_eq!(fx.len(), 1, "{fx:?}");
    let fx = update(&mut s, ch('2'));
    let seq = seq_of(&fx, &RequestKey::WorkspaceUsers("ws-long".into()));
    assert_eq!(
        fx,
        vec![
            Effect::Cancel(RequestKey::Deployments("ws-long".into())),
            fetch(
                seq,
                Request::WorkspaceUsers {
                    workspace_id: "ws-long".into()
                }
            )
        ],
        "no workspaceInvites request: it needs WORKSPACE_ADMIN"
    );
    assert!(!s.can_see_invites(&"ws-long".into()));
    assert!(s.can_see_invites(&"ws-data".into()));
}

#[test]
fn workspace_users_are_sorted_by_name_then_email() {
    let mut s = boot();
    into_workspace(&mut s);
    let fx = update(&mut s, ch('2'));
    let seq = seq_of(&fx, &RequestKey::WorkspaceUsers("ws-data".into()));
    let mut list = users();
    let mut twin = list[0].clone();
    twin.id = "u-ada2".into();
    twin.email = Some("a.lovelace@example.com".into());
    list.push(twin);
    update(
        &mut s,
        reply(
            RequestKey::WorkspaceUsers("ws-data".into()),
            seq,
            0,
            Payload::WorkspaceUsers(list),
        ),
    );
    let order: Vec<(&str, Option<&str>)> = s.workspace_users["ws-data"]
        .data()
        .unwrap()
        .iter()
        .map(|u| (u.display_name(), u.email.as_deref()))
        .collect();
    assert_eq!(
        order,
        vec![
            ("Ada Lovelace", Some("a.lovelace@example.com")),
            ("Ada Lovelace", Some("ada@example.com")),
            ("alan", Some("alan@example.com")),
            ("Grace Hopper", Some("grace@example.com")),
        ]
    );
}

#[test]
fn a_new_token_forgets_the_previous_sessions_data() {
    let mut s = boot();
    into_workspace(&mut s);
    // Leave traces: a filter, a selection, a users tab with its data.
    update(&mut s, ch('/'));
    type_text(&mut s, "prod");
    update(&mut s, key(KeyCode::Enter));
    assert!(!s.tables.is_empty() && !s.filter_cache.is_empty());
    let fx = update(&mut s, ch('2'));
    let seq = seq_of(&fx, &RequestKey::WorkspaceUsers("ws-data".into()));
    update(
        &mut s,
        reply(
            RequestKey::WorkspaceUsers("ws-data".into()),
            seq,
            0,
            Payload::WorkspaceUsers(users()),
        ),
    );

    // The token expires: log in again, as someone else.
    s.token_expires_at = Some(ago(10));
    let fx = update(&mut s, ctrl('r'));
    let seq = seq_of(&fx, &RequestKey::WorkspaceUsers("ws-data".into()));
    update(
        &mut s,
        Msg::Api {
            key: RequestKey::WorkspaceUsers("ws-data".into()),
            seq,
            at: now(),
            result: Err(ApiError::Forbidden("token expired".into())),
        },
    );
    assert!(s.login.is_some());
    update(&mut s, ctrl('t'));
    update(&mut s, Msg::Paste("other.user.token".into()));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(fx.contains(&Effect::UseToken(Secret("other.user.token".into()))));

    assert!(s.login.is_none());
    assert_eq!(s.routes, vec![Route::Account]);
    assert!(s.me.data().is_none());
    assert!(s.workspaces.data().is_none());
    assert!(s.deployments.is_empty());
    assert!(s.workspace_users.is_empty());
    assert!(s.workspace_invites.is_empty());
    assert!(s.workspace_service_accounts.is_empty());
    assert!(s.deployment.is_empty());
    assert!(s.deployment_variables.is_empty());
    assert!(s.deployment_service_accounts.is_empty());
    assert!(s.deployment_users.is_empty());
    assert!(
        s.tables.is_empty(),
        "selections and filters: {:?}",
        s.tables
    );
    assert!(s.filter_cache.is_empty());
    assert!(s.filter_input.is_none());
    let screen = render(&s, 100, 30);
    assert!(!screen.contains("Data Platform"), "{screen}");
    assert!(!screen.contains("Ada Lovelace"), "{screen}");
}
