//! The login screen: username and password (`createToken`) or a pasted token, both on the
//! form model.

use crossterm::event::KeyEvent;

use crate::app::effect::{Effect, Schedule};
use crate::app::forms::FieldId;
use crate::app::keymap::Action;
use crate::app::msg::Secret;
use crate::app::state::{AppState, LoginMode};
use crate::houston::ApiError;

pub(crate) fn on_key(state: &mut AppState, key: KeyEvent, action: Option<Action>) -> Vec<Effect> {
    let Some(login) = state.session.login.as_mut() else {
        return vec![];
    };
    match action {
        Some(Action::Quit) => return super::quit(state),
        Some(Action::NextField) => login.form_mut().next_field(),
        Some(Action::PrevField) => login.form_mut().prev_field(),
        Some(Action::ToggleLoginMode) => {
            login.mode_chosen = true;
            login.mode = match login.mode {
                LoginMode::Password => LoginMode::Token,
                LoginMode::Token => LoginMode::Password,
            };
            login.form_mut().error = None;
        }
        Some(Action::Submit) => return submit(state, true),
        Some(Action::SubmitOrNext) => return submit(state, false),
        _ => {
            login.form_mut().handle_key(&key);
        }
    }
    vec![]
}

pub(crate) fn paste(state: &mut AppState, text: &str) {
    if let Some(login) = state.session.login.as_mut() {
        login.form_mut().paste(text);
    }
}

fn submit(state: &mut AppState, force: bool) -> Vec<Effect> {
    let Some(login) = state.session.login.as_mut() else {
        return vec![];
    };
    if login.submitting {
        return vec![];
    }
    match login.mode {
        LoginMode::Password => {
            let form = &mut login.password;
            // Enter on the username with no password yet moves on instead of failing.
            if !force && form.focus == 0 && form.value(FieldId::Password).is_empty() {
                if form.text(FieldId::Username).is_empty() {
                    form.validate(|_| {});
                } else {
                    form.next_field();
                }
                return vec![];
            }
            if !form.validate(|_| {}) {
                return vec![];
            }
            login.submitting = true;
            vec![Effect::Login {
                username: form.text(FieldId::Username),
                password: Secret(form.value(FieldId::Password)),
            }]
        }
        LoginMode::Token => {
            let form = &mut login.token;
            if !form.validate(|_| {}) {
                return vec![];
            }
            // Where a pasted token enters: read as a token once (`Bearer ` dropped).
            match Secret::token(&form.text(FieldId::Token)) {
                Some(token) => accept_token(state, token),
                None => vec![],
            }
        }
    }
}

pub(crate) fn on_result(state: &mut AppState, result: Result<Secret, ApiError>) -> Vec<Effect> {
    let Some(login) = state.session.login.as_mut() else {
        return vec![];
    };
    login.submitting = false;
    match result {
        Ok(token) => accept_token(state, token),
        Err(e) => {
            // Keep what was typed; show the server's words.
            login.password.error = Some(match e {
                ApiError::Forbidden(m) | ApiError::GraphQl { message: m, .. } => m,
                ApiError::NotFound(_) => "No such user".into(),
                other => other.to_string(),
            });
            vec![]
        }
    }
}

/// Use `token` from now on: forget everything fetched before (another identity may be behind
/// it) and load who we are.
pub(crate) fn accept_token(state: &mut AppState, token: Secret) -> Vec<Effect> {
    state.session.token_expires_at = crate::houston::jwt::expires_at(&token);
    // In memory only: a context switched away from and back to continues with it.
    state.contexts.token = Some(token.clone());
    let login = state.session.login.take();
    state.session.return_to = login.as_ref().and_then(|l| l.return_to.clone());
    // Kept in case Houston refuses this token: the login screen then comes back as it was.
    state.session.last_login = login;
    state.reset_remote_data();
    let mut effects = vec![Effect::UseToken(token)];
    effects.push(Schedule::visible(true));
    effects
}
