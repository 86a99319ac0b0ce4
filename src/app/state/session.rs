//! Who and where: the session (the connection, what the user may do) and the login screen.

use std::time::Duration;

use super::route::Route;
use crate::app::forms::field_id::FieldId;
use crate::app::forms::model::{Field, Form};
use crate::houston::model::{Timestamp, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMode {
    Password,
    Token,
}

/// The login screen: two forms (username/password, or a pasted token).
#[derive(Debug, Clone)]
pub struct LoginState {
    pub mode: LoginMode,
    /// Set once the user toggles the mode, so the server's auth config no longer overrides it.
    pub(crate) mode_chosen: bool,
    pub password: Form,
    pub token: Form,
    /// Why we are here (e.g. the session ended).
    pub reason: Option<String>,
    pub(crate) submitting: bool,
    /// Who was logged in and where, when the session ended: the same user returns there.
    pub(crate) return_to: Option<(Option<UserId>, Vec<Route>)>,
}

impl LoginState {
    pub(crate) fn new(reason: Option<String>) -> Self {
        LoginState {
            mode: LoginMode::Password,
            mode_chosen: false,
            password: Form::new(
                "Log in",
                vec![
                    Field::text(FieldId::Username, "Username", "").required(),
                    Field::secret(FieldId::Password, "Password"),
                ],
            ),
            token: Form::new(
                "Log in",
                vec![Field::secret(FieldId::Token, "Token").required()],
            ),
            reason,
            submitting: false,
            return_to: None,
        }
    }

    pub(crate) fn form(&self) -> &Form {
        match self.mode {
            LoginMode::Password => &self.password,
            LoginMode::Token => &self.token,
        }
    }

    pub(crate) fn form_mut(&mut self) -> &mut Form {
        match self.mode {
            LoginMode::Password => &mut self.password,
            LoginMode::Token => &mut self.token,
        }
    }
}

/// Who and where: the connection and what the user may do.
#[derive(Debug, Clone)]
pub struct Session {
    pub context_name: String,
    /// The Houston endpoint (for the token page hint when the app URL is unknown).
    pub houston_url: Option<String>,
    pub app_url: Option<String>,
    pub read_only: bool,
    /// Server certificates are not verified (`insecure_skip_verify`): a red badge says so.
    pub(crate) tls_unverified: bool,
    pub(crate) refresh: Duration,
    pub token_expires_at: Option<Timestamp>,
    /// The login screen, when shown.
    pub login: Option<LoginState>,
    /// Carried from the login screen until we know who logged in (see `LoginState::return_to`).
    pub(crate) return_to: Option<(Option<UserId>, Vec<Route>)>,
    /// The login screen as it was when its token was accepted: shown again, with what was
    /// typed, if Houston refuses that token.
    pub(crate) last_login: Option<LoginState>,
}
