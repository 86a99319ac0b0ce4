//! Sorting: text sort keys in natural order (`deploy-3` before `deploy-11`; the Image column
//! once sorted as plain text), and `s` cycling only through the columns on screen (at 80
//! columns it once sorted by a hidden column, with no arrow anywhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use astrodash::app::msg::Msg;
use astrodash::app::state::{AppState, Route, WorkspaceTab};
use astrodash::app::tables::{Sort, TableId};
use astrodash::app::update::update;
use astrodash::houston::request::{Payload, Request};
use astrodash::ui::hit::shown_columns;
use common::*;

fn deployments_tab() -> (AppState, TableId) {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    (s, TableId::Deployments("ws-data".into()))
}

fn sort_of(s: &AppState, table: &TableId) -> Sort {
    s.table(table).sort.expect("sorted")
}

fn column_titles(s: &AppState, table: &TableId) -> Vec<&'static str> {
    s.rows(table).layouts().iter().map(|l| l.title).collect()
}

/// The image tags in the order shown.
fn images(s: &AppState, table: &TableId) -> Vec<String> {
    let rows = s.cache.deployments(&"ws-data".into()).unwrap();
    s.view(table)
        .iter()
        .map(|&i| rows[i].image_tag.clone().unwrap_or_default())
        .collect()
}

/// Press `s` until the table is sorted by `title`.
fn sort_by(s: &mut AppState, table: &TableId, title: &str) {
    let titles = column_titles(s, table);
    for _ in 0..titles.len() {
        update(s, ch('s'));
        if titles[sort_of(s, table).column] == title {
            return;
        }
    }
    panic!("`s` never sorted by {title}");
}

#[test]
fn s_cycles_through_the_columns_on_screen_only() {
    let (mut s, table) = deployments_tab();
    update(&mut s, Msg::Resize(80, 24));
    let titles = column_titles(&s, &table);
    let shown = shown_columns(&s, &s.rows(&table).layouts());
    assert!(
        shown.len() < titles.len(),
        "80 columns hide some: {shown:?}"
    );
    assert!(!shown.contains(&titles.iter().position(|t| *t == "Image").unwrap()));

    let mut visited = Vec::new();
    for _ in 0..titles.len() * 2 {
        update(&mut s, ch('s'));
        let column = sort_of(&s, &table).column;
        assert!(
            shown.contains(&column),
            "sorted by hidden {}",
            titles[column]
        );
        visited.push(column);
        // The arrow is on screen for every sort `s` picks.
        let screen = render(&s, 80, 24);
        assert!(
            screen.contains(&format!("{}↑", titles[column])),
            "{}:\n{screen}",
            titles[column]
        );
    }
    let visited: BTreeSet<usize> = visited.into_iter().collect();
    assert_eq!(visited, shown.iter().copied().collect::<BTreeSet<_>>());

    // Wide enough for every column: `s` reaches them all.
    update(&mut s, Msg::Resize(160, 48));
    let mut visited = BTreeSet::new();
    for _ in 0..titles.len() {
        update(&mut s, ch('s'));
        visited.insert(sort_of(&s, &table).column);
    }
    assert_eq!(visited.len(), titles.len());
}

#[test]
fn the_image_column_sorts_numbers_as_numbers() {
    let (mut s, table) = deployments_tab();
    let mut list = admin_deployments();
    for (d, tag) in list
        .iter_mut()
        .zip(["deploy-11", "deploy-3", "deploy-100", "deploy-20"])
    {
        d.image_tag = Some(tag.into());
    }
    put(
        &mut s,
        Request::Deployments("ws-data".into()),
        Payload::Deployments(list),
    );
    update(&mut s, Msg::Resize(160, 48));
    sort_by(&mut s, &table, "Image");
    let shown: Vec<String> = images(&s, &table)
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(shown, ["deploy-3", "deploy-11", "deploy-20", "deploy-100"]);
    update(&mut s, ch('S'));
    let shown: Vec<String> = images(&s, &table)
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(shown, ["deploy-100", "deploy-20", "deploy-11", "deploy-3"]);

    // Narrowed to 80 columns, the Image column is hidden: the title says what sorts the rows.
    let screen = render(&s, 80, 24);
    assert!(screen.contains("sorted by Image↓"), "{screen}");
    insta::assert_snapshot!("sorted_by_a_hidden_column_80x24", screen);
    insta::assert_snapshot!("sorted_by_image_160x48", render(&s, 160, 48));
}
