//! The DAGs tab's marks for DAGs the newest runs across DAGs left out (issue 14): when that
//! page (`RecentRuns`) comes back full, each DAG on screen without a run in it is read on its
//! own (`DagMarks`) — only rows on screen, at most eight at a time, only while the tab is shown,
//! each again once due — and its row shows those marks, or "never". Also the tab's `p` hint
//! (pause / unpause) and a table's footer when the filter leaves nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::model::{Dag, DagRun};
use astrodash::app::airflow::{AirflowPayload, AirflowRequest};
use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use common::screens::at_deployment;
use common::*;
use crossterm::event::KeyCode;

/// How many runs `RecentRuns` asks for (`app::airflow::RECENT_RUNS`).
const PAGE: usize = 300;

fn dag(id: &str, paused: bool) -> Dag {
    Dag {
        dag_id: id.into(),
        is_paused: paused,
        is_active: true,
        schedule: Some("@daily".into()),
        next_run: Some(later(3 * 3600)),
        has_import_errors: false,
        owners: vec!["data".into()],
        tags: vec![],
        description: None,
        fileloc: None,
    }
}

/// A run of `dag` started `mins` minutes ago.
fn run(dag: &str, mins: i64, state: &str) -> DagRun {
    let at = Some(ago(mins * 60));
    DagRun {
        dag_id: dag.into(),
        dag_run_id: format!("scheduled__{mins}"),
        state: Some(state.into()),
        run_type: Some("scheduled".into()),
        logical_date: at,
        start_date: at,
        end_date: None,
        conf: None,
    }
}

/// A full page: every run is `busy`'s, one a minute.
fn busy_page(dag: &str) -> Vec<DagRun> {
    (0..PAGE as i64).map(|m| run(dag, m, "success")).collect()
}

fn marks_of(dag_id: &str) -> AirflowRequest {
    AirflowRequest::DagMarks {
        deployment: "d-etl".into(),
        dag_id: dag_id.into(),
    }
}

fn fetches(effects: &[Effect]) -> Vec<(u64, AirflowRequest)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowFetch { seq, request, .. } => Some((*seq, request.clone())),
            _ => None,
        })
        .collect()
}

/// The DAGs whose own reads `effects` send, in order.
fn own_reads(effects: &[Effect]) -> Vec<String> {
    fetches(effects)
        .into_iter()
        .filter_map(|(_, r)| match r {
            AirflowRequest::DagMarks { dag_id, .. } => Some(dag_id),
            _ => None,
        })
        .collect()
}

fn answer(
    s: &mut AppState,
    seq: u64,
    request: AirflowRequest,
    payload: AirflowPayload,
) -> Vec<Effect> {
    let at = s.now;
    update(
        s,
        Msg::AirflowReply {
            request,
            seq,
            at,
            result: Ok(payload),
        },
    )
}

/// The DAGs tab of d-etl on a `w`×`h` terminal with `dags` read, and the effects of the
/// newest runs' reply (`runs`).
fn tab(w: u16, h: u16, dags: Vec<Dag>, runs: Vec<DagRun>) -> (AppState, Vec<Effect>) {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    update(&mut s, Msg::Resize(w, h));
    let reads = fetches(&update(&mut s, ch('7')));
    let seq_of = |want: &AirflowRequest| reads.iter().find(|(_, r)| r == want).unwrap().0;
    let dags_read = AirflowRequest::Dags("d-etl".into());
    let effects = answer(
        &mut s,
        seq_of(&dags_read),
        dags_read,
        AirflowPayload::Dags(dags),
    );
    assert!(
        own_reads(&effects).is_empty(),
        "nothing before the runs are in"
    );
    let recent = AirflowRequest::RecentRuns("d-etl".into());
    let effects = answer(&mut s, seq_of(&recent), recent, AirflowPayload::Runs(runs));
    (s, effects)
}

/// `dag_00` … `dag_29`, and `zz_busy` whose runs fill the page.
fn thirty() -> Vec<Dag> {
    (0..30)
        .map(|i| dag(&format!("dag_{i:02}"), false))
        .chain([dag("zz_busy", false)])
        .collect()
}

fn names(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("dag_{i:02}")).collect()
}

#[test]
fn a_full_page_reads_the_dags_on_screen_without_marks_eight_at_a_time() {
    // 80×24: sixteen rows on screen, dag_00 … dag_15.
    let (mut s, effects) = tab(80, 24, thirty(), busy_page("zz_busy"));
    assert_eq!(
        own_reads(&effects),
        names(0..8),
        "the first eight rows on screen"
    );
    let in_flight: Vec<(u64, AirflowRequest)> = fetches(&effects);
    // One answers: its slot goes to the next row on screen.
    let (seq, request) = in_flight[0].clone();
    let effects = answer(&mut s, seq, request, AirflowPayload::Runs(vec![]));
    assert_eq!(own_reads(&effects), names(8..9));
    // The rest answer: the rest of the screen, and no further.
    let mut pending: Vec<(u64, AirflowRequest)> = in_flight[1..]
        .iter()
        .cloned()
        .chain(fetches(&effects))
        .collect();
    let mut read = names(0..9);
    while let Some((seq, request)) = pending.pop() {
        let effects = answer(&mut s, seq, request, AirflowPayload::Runs(vec![]));
        read.extend(own_reads(&effects));
        pending.extend(fetches(&effects));
    }
    read.sort();
    assert_eq!(read, names(0..16), "only the sixteen rows on screen");
    // Scrolling to the bottom brings the rows then shown; the busy DAG has its marks already.
    let effects = update(&mut s, ch('G'));
    assert_eq!(own_reads(&effects), names(16..24));
    assert!(!own_reads(&effects).contains(&"zz_busy".to_string()));
}

#[test]
fn a_page_short_of_its_limit_brought_every_run_and_nothing_more_is_read() {
    let runs = vec![run("dag_01", 5, "failed"), run("dag_01", 65, "success")];
    let (s, effects) = tab(80, 24, thirty(), runs);
    assert!(own_reads(&effects).is_empty(), "{effects:?}");
    let screen = render(&s, 80, 24);
    let row = |id: &str| screen.lines().find(|l| l.contains(id)).unwrap().to_string();
    assert!(row("dag_01").contains("●✗"), "{}", row("dag_01"));
    assert!(row("dag_00").contains("never"), "{}", row("dag_00"));
}

#[test]
fn no_reads_while_the_tab_is_hidden_and_none_again_before_due() {
    let dags = vec![dag("daily_load", false), dag("zz_busy", false)];
    let (mut s, effects) = tab(80, 24, dags, busy_page("zz_busy"));
    let (seq, request) = fetches(&effects)[0].clone();
    assert_eq!(request, marks_of("daily_load"));
    answer(&mut s, seq, request, AirflowPayload::Runs(vec![]));
    // Not again before a minute (the tab's other reads renew every 5 s here), whatever
    // happens on screen.
    let effects = update(&mut s, Msg::Tick(later(30)));
    assert!(own_reads(&effects).is_empty(), "{effects:?}");
    update(&mut s, ch('j'));
    let effects = update(&mut s, ch('k'));
    assert!(own_reads(&effects).is_empty(), "{effects:?}");
    // Another tab: nothing, due or not.
    update(&mut s, ch('1'));
    let effects = update(&mut s, Msg::Tick(later(60)));
    assert!(own_reads(&effects).is_empty(), "{effects:?}");
    // Shown again once due: read again.
    let effects = update(&mut s, ch('7'));
    assert_eq!(own_reads(&effects), ["daily_load"]);
}

/// Six DAGs: `zz_busy` fills the page; the others' runs are older than it goes back.
fn six() -> (AppState, Vec<Effect>) {
    let dags = vec![
        dag("daily_load", false),
        dag("hourly_sync", false),
        dag("never_run", false),
        dag("paused_export", true),
        dag("weekly_report", false),
        dag("zz_busy", false),
    ];
    tab(80, 24, dags, busy_page("zz_busy"))
}

/// `six` with the own reads answered, but `weekly_report`'s (on its way).
fn six_answered() -> AppState {
    let (mut s, effects) = six();
    for (seq, request) in fetches(&effects) {
        let AirflowRequest::DagMarks { dag_id, .. } = &request else {
            continue;
        };
        let runs = match dag_id.as_str() {
            "daily_load" => vec![
                run("daily_load", 26 * 60, "failed"),
                run("daily_load", 50 * 60, "success"),
                run("daily_load", 74 * 60, "success"),
            ],
            "hourly_sync" => (0..7)
                .map(|h| run("hourly_sync", (7 + h) * 60, "success"))
                .collect(),
            "paused_export" => vec![run("paused_export", 9 * 24 * 60, "success")],
            "weekly_report" => continue,
            _ => vec![],
        };
        answer(&mut s, seq, request, AirflowPayload::Runs(runs));
    }
    s
}

#[test]
fn rows_take_their_own_reads_marks_and_last_run_and_an_empty_one_says_never() {
    let s = six_answered();
    let screen = render(&s, 80, 24);
    let row = |id: &str| screen.lines().find(|l| l.contains(id)).unwrap().to_string();
    // Newest on the right.
    assert!(row("daily_load").contains("●●✗") && row("daily_load").contains("1d ago"));
    assert!(
        row("hourly_sync").contains("●●●●●"),
        "{}",
        row("hourly_sync")
    );
    assert!(row("never_run").contains("never"), "{}", row("never_run"));
    // Its read is on its way: no run since the page's oldest, as before.
    assert!(
        row("weekly_report").contains(">4h"),
        "{}",
        row("weekly_report")
    );
}

#[test]
fn dags_outside_the_newest_runs() {
    let s = six_answered();
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("dag_marks_{w}x{h}"), render(&s, w, h));
    }
}

#[test]
fn p_says_unpause_on_a_paused_dag_and_pause_on_an_active_one() {
    let mut s = six_answered();
    let hints = |s: &AppState| render(s, 80, 24).lines().last().unwrap().to_string();
    assert!(hints(&s).contains("p pause"), "{}", hints(&s));
    // paused_export is the fourth row.
    common::screens::select(&mut s, 3);
    assert!(hints(&s).contains("p unpause"), "{}", hints(&s));
    assert!(!hints(&s).contains("p pause "), "{}", hints(&s));
}

#[test]
fn a_filter_that_matches_nothing_says_so_under_the_table() {
    let mut s = six_answered();
    update(&mut s, ch('j'));
    assert!(render(&s, 80, 24).contains(" 2/6 "));
    update(&mut s, ch('/'));
    for c in "nothing-like-this".chars() {
        update(&mut s, ch(c));
    }
    update(&mut s, key(KeyCode::Enter));
    let screen = render(&s, 80, 24);
    assert!(screen.contains(" no match of 6 "), "{screen}");
    assert!(!screen.contains("/6 "), "no stale position:\n{screen}");
}

#[test]
fn the_own_reads_come_once_a_minute_in_focus_or_not() {
    let dags = vec![dag("daily_load", false), dag("zz_busy", false)];
    let (mut s, effects) = tab(80, 24, dags, busy_page("zz_busy"));
    let (seq, request) = fetches(&effects)[0].clone();
    answer(&mut s, seq, request, AirflowPayload::Runs(vec![]));
    update(&mut s, Msg::Focus(false));
    // Two minutes away: a read once out of focus is due (`UNFOCUSED_REFRESH_SECS`).
    let effects = update(&mut s, Msg::Tick(later(121)));
    let reads: Vec<(u64, AirflowRequest)> = fetches(&effects)
        .into_iter()
        .filter(|(_, r)| *r == marks_of("daily_load"))
        .collect();
    assert_eq!(reads.len(), 1, "{effects:?}");
    let (seq, request) = reads[0].clone();
    answer(&mut s, seq, request, AirflowPayload::Runs(vec![]));
    let effects = update(&mut s, Msg::Tick(later(170)));
    assert!(own_reads(&effects).is_empty(), "{effects:?}");
    // Looked at again: still once a minute (`MARKS_EVERY_SECS`), not at each 5 s refresh.
    let effects = update(&mut s, Msg::Focus(true));
    assert!(own_reads(&effects).is_empty(), "{effects:?}");
    let effects = update(&mut s, Msg::Tick(later(182)));
    assert_eq!(own_reads(&effects), ["daily_load"]);
}

#[test]
fn ctrl_r_reads_the_rows_own_marks_again_due_or_not() {
    let dags = vec![dag("daily_load", false), dag("zz_busy", false)];
    let (mut s, effects) = tab(80, 24, dags, busy_page("zz_busy"));
    let (seq, request) = fetches(&effects)[0].clone();
    answer(&mut s, seq, request, AirflowPayload::Runs(vec![]));
    assert!(own_reads(&update(&mut s, Msg::Tick(later(1)))).is_empty());
    let effects = update(&mut s, ctrl('r'));
    assert_eq!(own_reads(&effects), ["daily_load"]);
    // Answered: not again until due.
    let (seq, request) = fetches(&effects)
        .into_iter()
        .find(|(_, r)| *r == marks_of("daily_load"))
        .unwrap();
    let effects = answer(&mut s, seq, request, AirflowPayload::Runs(vec![]));
    assert!(own_reads(&effects).is_empty(), "{effects:?}");
}
