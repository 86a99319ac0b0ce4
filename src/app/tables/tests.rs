//! The table view state: selection, filter and sort.

use super::*;

fn ws(id: &str, label: &str) -> Workspace {
    Workspace {
        id: id.into(),
        label: label.into(),
        description: None,
        deployment_count: 0,
        my_role: None,
        created_at: None,
        updated_at: None,
        capabilities: WorkspaceCapabilities::default(),
    }
}

fn table(data: &[Workspace]) -> SpecRows<&[Workspace], Workspace> {
    SpecRows {
        source: data,
        spec: &specs::WORKSPACES,
    }
}

#[test]
fn selection_follows_the_item_when_rows_move() {
    let before = vec![ws("a", "alpha"), ws("b", "beta"), ws("c", "gamma")];
    let mut t = TableState::default();
    t.reapply(&table(&before), 1);
    t.select(2, &table(&before));
    assert_eq!(t.selected_key.as_deref(), Some("c"));
    // Two rows vanish above the selection.
    let after = vec![ws("c", "gamma"), ws("d", "delta")];
    t.reapply(&table(&after), 2);
    assert_eq!(
        t.selected_index().map(|i| &after[i].label[..]),
        Some("gamma")
    );
    // The selected item itself vanishes: the cursor stays in place, clamped.
    let gone = vec![ws("d", "delta")];
    t.reapply(&table(&gone), 3);
    assert_eq!(t.selected, 0);
    assert_eq!(t.selected_key.as_deref(), Some("d"));
}

#[test]
fn filter_and_sort_together() {
    let data = vec![ws("1", "prod-b"), ws("2", "dev"), ws("3", "prod-a")];
    let mut t = TableState {
        filter: "PROD".into(),
        ..TableState::default()
    };
    t.reapply(&table(&data), 1);
    // Workspaces sort by name by default.
    assert_eq!(t.view(&table(&data), 1).to_vec(), vec![2, 0]);
    t.sort = Some(Sort {
        column: 0,
        descending: true,
    });
    t.reapply(&table(&data), 1);
    assert_eq!(t.view(&table(&data), 1).to_vec(), vec![0, 2]);
}

#[test]
fn matches_ignoring_case() {
    assert!(contains_ignore_case("Prod-ETL", "etl"));
    assert!(contains_ignore_case("Ünïcode Team", "ünï"));
    assert!(!contains_ignore_case("abc", "abcd"));
    assert!(contains_ignore_case("abc", ""));
}
