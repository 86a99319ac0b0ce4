//! What a key press means once resolved: the actions, and their names in `astrodash.toml`.

/// The actions with their `astrodash.toml` names, written once: the enum, `config_name` and
/// `ALL_ACTIONS` are generated from this list, so a new action is one line here.
macro_rules! actions {
    ($( $(#[$doc:meta])* $name:ident => $config:literal, )*) => {
        /// A user intent after key resolution.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $( $(#[$doc])* $name, )*
        }

        impl Action {
            /// The name used in `astrodash.toml`'s `[keys]` table.
            pub(crate) fn config_name(self) -> &'static str {
                match self {
                    $( Action::$name => $config, )*
                }
            }
        }

        /// Every action, for looking one up by its config name.
        pub(super) const ALL_ACTIONS: &[Action] = &[ $( Action::$name, )* ];
    };
}

actions! {
    Up => "up",
    Down => "down",
    Top => "top",
    Bottom => "bottom",
    PageUp => "page_up",
    PageDown => "page_down",
    Open => "open",
    Back => "back",
    NextTab => "next_tab",
    PrevTab => "prev_tab",
    /// `1`–`9`: the tab number comes from the key.
    TabByNumber => "tab_by_number",
    Help => "help",
    Filter => "filter",
    Refresh => "refresh",
    Quit => "quit",
    Copy => "copy",
    OpenAirflow => "open_airflow",
    OpenFlower => "open_flower",
    /// Every deployment the caller can see, worst first.
    AllDeployments => "all_deployments",
    /// The System Admin panel (system admins only).
    SystemAdmin => "system_admin",
    // Changes.
    New => "new",
    Edit => "edit",
    Delete => "delete",
    Upgrade => "upgrade",
    CancelUpgrade => "cancel_upgrade",
    Import => "import",
    PersonalSettings => "personal_settings",
    /// `p` on the DAGs tab: pause or unpause the DAG.
    Pause => "pause",
    /// `t` on the DAGs tab: trigger a run of the DAG.
    Trigger => "trigger",
    /// `c` on a run's task instances: clear the task instance (it runs again).
    ClearTask => "clear_task",
    /// `m` on a DAG's runs or a run's task instances: mark it success or failed.
    Mark => "mark",
    // Forms and the login screen.
    NextField => "next_field",
    PrevField => "prev_field",
    /// Enter: next field, or submit on the last one.
    SubmitOrNext => "submit_or_next",
    Submit => "submit",
    /// ←/→ on a choice, +/- on a number (documented; the field handles the key).
    ChangeValue => "change_value",
    Cancel => "cancel",
    ToggleLoginMode => "toggle_login_mode",
    // Confirmations.
    Confirm => "confirm",
    // Conflicts: the server's value, or the user's.
    TakeTheirs => "take_theirs",
    KeepMine => "keep_mine",
    // The filter line.
    KeepFilter => "keep_filter",
    ClearFilter => "clear_filter",
    // Overlays.
    Close => "close",
    CopyKey => "copy_key",
    // Live logs and metrics.
    OpenLogs => "logs",
    Follow => "follow",
    Search => "search",
    NextMatch => "next_match",
    PrevMatch => "prev_match",
    FilterLines => "filter_lines",
    NextComponent => "next_component",
    PrevComponent => "prev_component",
    ToggleWrap => "toggle_wrap",
    ToggleTimestamps => "toggle_timestamps",
    CycleWindow => "cycle_window",
    SaveLines => "save_lines",
    // Navigation and convenience.
    /// `:` command palette.
    Palette => "palette",
    /// `-`: back to the view before the last move.
    PreviousView => "previous_view",
    /// `s`: sort by the next column.
    SortNext => "sort_next",
    /// `S`: reverse the sort.
    SortReverse => "sort_reverse",
    /// `d`: the item as YAML.
    Describe => "describe",
    /// `t` on a deployment's Users tab: the cursor goes to the other list (users ⇄ teams).
    SwitchList => "switch_list",
    /// `1`–`9` in a menu: the entry number comes from the key.
    PickNumber => "pick_number",
    // The palette's line.
    Complete => "complete",
    CompletePrev => "complete_prev",
    HistoryBack => "history_back",
    HistoryForward => "history_forward",
    Run => "run",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_its_own_config_name_and_is_listed_once() {
        let mut names: Vec<&str> = ALL_ACTIONS.iter().map(|a| a.config_name()).collect();
        assert_eq!(names.len(), 69);
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL_ACTIONS.len());
        assert!(ALL_ACTIONS.contains(&Action::Run) && ALL_ACTIONS.contains(&Action::Up));
    }
}
