//! The System Admin panel's key of its own: `w` on the Task usage tab (its changes are rows
//! of `app::changes::admin`).

use crate::app::effect::Effect;
use crate::app::keymap::Action;
use crate::app::state::{AdminTab, AppState, Route};

/// `w` on the Task usage tab: the next range, read at once.
pub(crate) fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Effect>> {
    if action != Action::CycleWindow
        || state.route()
            != &(Route::Admin {
                tab: AdminTab::TaskUsage,
            })
    {
        return None;
    }
    let days = crate::app::task_usage::next_range(state.ui.task_usage_days);
    state.ui.task_usage_days = days;
    super::messages::flash(state, format!("Task runs of the last {days} days"));
    Some(vec![Effect::Schedule(
        crate::app::effect::Schedule::Visible { force: true },
    )])
}
