//! What the rendered screen says, checked without snapshots: the URL popup's copy line, only the
//! visible window of many rows, tiny terminals, help listing every binding, the hyperlink position,
//! no change keys when read-only, total AU.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::modal::{CopyStatus, Modal, UrlKind, UrlPopup};
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::screens::*;
use common::*;
use tui_input::Input;

#[test]
fn url_popup_tells_the_truth_about_the_copy() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let popup = |copy| {
        vec![Modal::Url(UrlPopup {
            url: "file:///etc/passwd".into(),
            what: UrlKind::Airflow,
            reason: "not an http(s) URL".into(),
            copy,
        })]
    };
    s.ui.modals = popup(CopyStatus::TooLong);
    let text = render(&s, 80, 24);
    assert!(text.contains("not an http(s) URL"), "{text}");
    assert!(
        text.contains("file:///etc/passwd"),
        "shown as text:\n{text}"
    );
    assert!(text.contains("too long to copy"), "{text}");
    assert!(!text.contains("sent to your clipboard"), "{text}");
    s.ui.modals = popup(CopyStatus::Failed("broken pipe".into()));
    let text = render(&s, 80, 24);
    assert!(text.contains("could not copy"), "{text}");
    assert!(!text.contains("sent to your clipboard"), "{text}");
    s.ui.modals = popup(CopyStatus::Pending);
    let text = render(&s, 80, 24);
    assert!(!text.contains("sent to your clipboard"), "{text}");
}

#[test]
fn many_rows_render_only_the_window() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let many: Vec<Deployment> = (0..10_000)
        .map(|i| {
            deployment(
                &format!("d-{i}"),
                &format!("deployment-{i:05}"),
                &format!("release-{i}"),
                Executor::Celery,
                DeploymentStatus::Healthy,
            )
        })
        .collect();
    put(
        &mut s,
        Request::Deployments("ws-data".into()),
        Payload::Deployments(many),
    );
    update(&mut s, ch('G'));
    let text = render(&s, 80, 24);
    assert!(text.contains("deployment-09999"));
    assert!(text.contains("Deployments (10000)"));
    assert!(text.contains("10000/10000"), "position indicator: {text}");
}

#[test]
fn tiny_terminals_never_panic() {
    let mut states = vec![
        loaded_state(),
        at_workspace(WorkspaceTab::Deployments),
        at_workspace(WorkspaceTab::Users),
        at_workspace(WorkspaceTab::ServiceAccounts),
        at_workspace(WorkspaceTab::Settings),
        at_deployment("d-etl", DeploymentTab::Overview),
        at_deployment("d-etl", DeploymentTab::Variables),
        at_deployment("d-etl", DeploymentTab::ServiceAccounts),
        at_deployment("d-etl", DeploymentTab::Users),
        login_state(LoginMode::Password),
        login_state(LoginMode::Token),
    ];
    let mut help = loaded_state();
    help.ui.modals.push(Modal::Help { scroll: 3 });
    states.push(help);
    let mut popup = loaded_state();
    popup.ui.modals.push(Modal::Url(UrlPopup {
        url: "https://example.com/a/very/long/url/that/needs/wrapping/on/small/screens".into(),
        what: UrlKind::Flower,
        reason: "no display".into(),
        copy: CopyStatus::Copied,
    }));
    states.push(popup);
    let mut filtering = at_workspace(WorkspaceTab::Deployments);
    filtering.ui.filter_input = Some(Input::new("a-very-long-filter-text".into()));
    states.push(filtering);
    for (tab, keys) in [
        (WorkspaceTab::Deployments, "n"),
        (WorkspaceTab::Deployments, "e"),
        (WorkspaceTab::Users, "n"),
        (WorkspaceTab::ServiceAccounts, "n"),
    ] {
        let mut s = at_workspace(tab);
        type_text(&mut s, keys);
        states.push(s);
    }
    let mut delete = at_workspace(WorkspaceTab::Deployments);
    update(&mut delete, ctrl('d'));
    states.push(delete);
    for s in &states {
        for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 10), (60, 15), (200, 60)] {
            render(s, w, h);
        }
    }
}

#[test]
fn help_lists_every_binding_of_the_screen() {
    use astrodash::app::keymap::shown;
    for s in [
        loaded_state(),
        at_workspace(WorkspaceTab::Deployments),
        at_workspace(WorkspaceTab::Users),
        at_deployment("d-etl", DeploymentTab::Overview),
        at_deployment("d-etl", DeploymentTab::Variables),
    ] {
        let mut s = s;
        let scope = s.key_scope();
        s.ui.modals.push(Modal::Help { scroll: 0 });
        let text = render(&s, 160, 48);
        let bindings = shown(&s, scope);
        // A key listed twice would promise two things; the first binding is the one that acts.
        let keys: Vec<_> = bindings
            .iter()
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[..i].contains(k), "{scope:?}: {k:?} listed twice");
        }
        for b in bindings {
            assert!(
                text.contains(b.description),
                "{scope:?}: {} missing",
                b.description
            );
            assert!(
                text.contains(b.label.as_ref()),
                "{scope:?}: {} missing",
                b.label
            );
        }
    }
}

#[test]
fn url_hyperlink_position_points_at_the_url() {
    use astrodash::ui::popup::url_single_line_position;
    use ratatui::layout::Rect;
    let mut s = loaded_state();
    let popup = UrlPopup {
        url: "https://deployments.example.com/x/airflow".into(),
        what: UrlKind::Airflow,
        reason: "over SSH".into(),
        copy: CopyStatus::Copied,
    };
    s.ui.modals.push(Modal::Url(popup.clone()));
    let buffer = render_buffer(&s, 80, 24);
    let (x, y) = url_single_line_position(Rect::new(0, 0, 80, 24), &popup).unwrap();
    let text: String = (x..x + popup.url.len() as u16)
        .map(|cx| buffer[(cx, y)].symbol().to_string())
        .collect();
    assert_eq!(text, popup.url);
}

#[test]
fn read_only_shows_no_change_keys() {
    for mut s in [
        loaded_state(),
        at_workspace(WorkspaceTab::Deployments),
        at_workspace(WorkspaceTab::Users),
        at_workspace(WorkspaceTab::Settings),
        at_deployment("d-etl", DeploymentTab::Overview),
        at_deployment("d-etl", DeploymentTab::Variables),
    ] {
        s.session.read_only = true;
        let text = render(&s, 200, 30);
        for hint in ["n new", "e edit", "C-d delete", "i import", "p profile"] {
            assert!(!text.contains(hint), "{hint} in read-only:\n{text}");
        }
        s.ui.modals.push(Modal::Help { scroll: 0 });
        let help = render(&s, 200, 60);
        // The help lists them apart, saying why.
        let (usable, _) = help
            .split_once("Not here — read-only session")
            .unwrap_or_else(|| panic!("no reason in read-only help:\n{help}"));
        for what in ["new workspace", "delete", "edit name", "invite", "import"] {
            assert!(!usable.contains(what), "{what} in read-only help:\n{help}");
        }
    }
}

#[test]
fn total_au_counts_replicas() {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    // Fixtures: scheduler 10, webserver 5, workers 10 × 2, triggerer 5, flower 5, extra 10.
    let text = render(&s, 160, 48);
    assert!(text.contains("total 55 AU"), "{text}");
    let mut d = admin_deployments()[0].clone();
    if let Some(w) = d.resources.iter_mut().find(|r| r.component == "workers") {
        w.replicas = Some(3);
    }
    put(
        &mut s,
        Request::Deployment(d.id.clone()),
        Payload::Deployment(Box::new(d)),
    );
    assert!(render(&s, 160, 48).contains("total 65 AU"));
}
