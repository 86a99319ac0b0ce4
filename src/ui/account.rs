//! Account dashboard: my workspaces, and the deployments shared with me outside them (a role on
//! the deployment alone).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::table::render_app_table;
use super::theme::Theme;
use crate::app::shared;
use crate::app::state::AppState;
use crate::app::tables::TableId;

const NO_WORKSPACE: &str = "You are not a member of any workspace yet (n creates one)";
/// A service-account key has no user, so `self` names no role: the one way in is by name.
const NO_WORKSPACE_KEY: &str = "This key has no role on a workspace. A deployment's key reaches \
     its deployment by name: :deploy RELEASE-NAME";
const SHARED_LOADING: &str = "Loading the deployments shared with you…";

pub(crate) fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    if state.current_table() == Some(TableId::SharedDeployments) {
        render_app_table(
            frame,
            area,
            state,
            theme,
            &TableId::SharedDeployments,
            SHARED_LOADING,
        );
        return;
    }
    let none = if state.me().is_some_and(|me| me.is_service_account()) {
        NO_WORKSPACE_KEY
    } else {
        NO_WORKSPACE
    };
    let shared = shared::ids(&state.cache).len();
    if shared == 0 {
        render_app_table(frame, area, state, theme, &TableId::Workspaces, none);
        return;
    }
    // Workspaces above (where the cursor is), the shared deployments below.
    let below = u16::try_from(shared + 3)
        .unwrap_or(u16::MAX)
        .min(area.height / 2);
    let [top, bottom] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(below)]).areas(area);
    render_app_table(frame, top, state, theme, &TableId::Workspaces, none);
    render_app_table(
        frame,
        bottom,
        state,
        theme,
        &TableId::SharedDeployments,
        SHARED_LOADING,
    );
}
