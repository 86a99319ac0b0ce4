//! Teams (0.28+): queries, role mutations, and what membership grants.
//!
//! Seed: "Data Engineering" (nora, admin) is WORKSPACE_EDITOR of Data Platform and
//! DEPLOYMENT_ADMIN of Reverse ETL; "ML Ops" (omar) is WORKSPACE_VIEWER of ML Research and
//! DEPLOYMENT_EDITOR of Model Training; "Auditors" (omar) is SYSTEM_VIEWER.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::teams::*;
use common::*;
use serde_json::json;

#[tokio::test]
async fn members_hold_their_teams_roles_everywhere() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let mkt = s.workspace_id("Marketing Analytics").await;
    let (reverse, _) = s.deployment("Reverse ETL").await;
    let (core, _) = s.deployment("Core ETL").await;
    let (training, _) = s.deployment("Model Training").await;

    // nora has no role of her own: workspace visibility and capabilities come from her team.
    let d = s.ok(NORA, "{ workspaces { label } }", json!({})).await;
    assert_eq!(labels(&d, "workspaces"), ["Data Platform"]);
    let d = s.ok(NORA, CAPS, json!({"w": dp, "d": reverse})).await;
    assert_eq!(
        d["workspace"]["workspaceCapabilities"],
        json!({"canCreateDeployment": true, "canUpdateIAM": false})
    );
    assert_eq!(
        d["deployment"]["deploymentCapabilities"]["canDeleteDeployment"],
        true
    );
    // The team's workspace role gives DEPLOYMENT_EDITOR on the other deployments (synthetic).
    let d = s.ok(NORA, CAPS, json!({"w": dp, "d": core})).await;
    assert_eq!(
        d["deployment"]["deploymentCapabilities"],
        json!({"canDeleteDeployment": false, "canUpdateDeployment": true})
    );
    s.ok(NORA, CREATE, json!({"w": dp})).await;
    assert_forbidden(
        &s.gql(NORA, CREATE, json!({"w": mkt})).await,
        "createDeployment",
    );

    // omar: SYSTEM_VIEWER through Auditors (every workspace, the user list), and
    // DEPLOYMENT_EDITOR of Model Training through ML Ops.
    let d = s
        .ok(
            OMAR,
            "{ workspaces { label } users { username } self { isAdmin } }",
            json!({}),
        )
        .await;
    assert_eq!(d["workspaces"].as_array().unwrap().len(), 4);
    assert_eq!(d["users"].as_array().unwrap().len(), 8);
    assert_eq!(d["self"]["isAdmin"], false);
    let upd = "mutation($d: Uuid!) { updateDeployment(deploymentUuid: $d, payload: {description: \"tuned\"}) { description } }";
    s.ok(OMAR, upd, json!({"d": training})).await;
    assert_forbidden(
        &s.gql(OMAR, upd, json!({"d": core})).await,
        "updateDeployment",
    );

    // Changes to a team apply to its members at once.
    let remove = "mutation($w: Uuid!, $t: Uuid!) { workspaceRemoveTeam(workspaceUuid: $w, teamUuid: $t) { id } }";
    let de = s.team_id("Data Engineering").await;
    s.ok(ADMIN, remove, json!({"w": dp, "t": de})).await;
    let d = s.ok(NORA, "{ workspaces { label } }", json!({})).await;
    assert!(labels(&d, "workspaces").is_empty());
    assert_forbidden(
        &s.gql(NORA, CREATE, json!({"w": dp})).await,
        "createDeployment",
    );
    let sys = "mutation($t: Uuid!) { createTeamSystemRoleBinding(teamUuid: $t, role: SYSTEM_ADMIN) { role } }";
    s.ok(ADMIN, sys, json!({"t": de})).await;
    let d = s
        .ok(
            NORA,
            "{ self { isAdmin authUserCapabilities { canSysAdmin } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        d["self"],
        json!({"isAdmin": true, "authUserCapabilities": {"canSysAdmin": true}})
    );
    s.ok(NORA, CREATE, json!({"w": mkt})).await;
    s.h.shutdown().await;
}

#[tokio::test]
async fn team_queries_check_who_may_see_teams() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let mkt = s.workspace_id("Marketing Analytics").await;
    let de = s.team_id("Data Engineering").await;
    let mlops = s.team_id("ML Ops").await;
    let (reverse, _) = s.deployment("Reverse ETL").await;
    let team = "query($t: Uuid!, $w: Uuid) { team(teamUuid: $t, workspaceUuid: $w) { name sortId createdAt roleBindings { role team { name } workspace { label } deployment { label } } } }";

    let d = s.ok(ADMIN, team, json!({"t": de})).await;
    assert_eq!(d["team"]["name"], "Data Engineering");
    let rbs = d["team"]["roleBindings"].as_array().unwrap();
    assert_eq!(rbs.len(), 2, "{d}");
    assert!(rbs.iter().all(|b| b["team"]["name"] == "Data Engineering"));
    assert!(
        rbs.iter()
            .any(|b| b["role"] == "WORKSPACE_EDITOR" && b["workspace"]["label"] == "Data Platform")
    );
    assert!(
        rbs.iter()
            .any(|b| b["role"] == "DEPLOYMENT_ADMIN" && b["deployment"]["label"] == "Reverse ETL")
    );
    // Scoped to a workspace the team has no role in: no bindings.
    let d = s.ok(ADMIN, team, json!({"t": de, "w": mkt})).await;
    assert_eq!(d["team"]["roleBindings"], json!([]));

    // A workspace admin reads teams of their workspace, only through it.
    assert_forbidden(&s.gql(GRACE, team, json!({"t": de})).await, "team");
    let d = s.ok(GRACE, team, json!({"t": de, "w": dp})).await;
    assert_eq!(d["team"]["roleBindings"].as_array().unwrap().len(), 2);
    assert_eq!(
        code(&s.gql(GRACE, team, json!({"t": mlops, "w": dp})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_forbidden(
        &s.gql(GRACE, team, json!({"t": de, "w": mkt})).await,
        "team",
    );
    assert_eq!(
        code(&s.gql(ADMIN, team, json!({"t": "no-such-team"})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_forbidden(&s.raw(None, team, json!({"t": de})).await, "team");

    // workspaceTeams / deploymentTeams: viewers of the workspace may list, others may not.
    let wt =
        "query($w: Uuid!) { workspaceTeams(workspaceUuid: $w) { name roleBindings { role } } }";
    let d = s.ok(VERA, wt, json!({"w": dp})).await;
    assert_eq!(team_names(&d["workspaceTeams"]), ["Data Engineering"]);
    assert_eq!(
        d["workspaceTeams"][0]["roleBindings"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_forbidden(&s.gql(DAN, wt, json!({"w": dp})).await, "workspaceTeams");
    let dt = "query($d: Uuid!) { deploymentTeams(deploymentUuid: $d) { name } }";
    let d = s.ok(VERA, dt, json!({"d": reverse})).await;
    assert_eq!(team_names(&d["deploymentTeams"]), ["Data Engineering"]);
    assert_forbidden(
        &s.gql(DAN, dt, json!({"d": reverse})).await,
        "deploymentTeams",
    );
    assert_eq!(
        code(&s.gql(ADMIN, dt, json!({"d": "nope"})).await),
        "RESOURCE_NOT_FOUND"
    );

    // teamUsers: system.teams.get, or workspace.teams.get where the team has a role.
    let tu = "query($t: Uuid!) { teamUsers(teamUuid: $t) { username emails { address verified primary } status } }";
    let d = s.ok(ADMIN, tu, json!({"t": de})).await;
    let mut members: Vec<&str> = d["teamUsers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    members.sort();
    assert_eq!(members, ["admin", "nora"]);
    s.ok(VERA, tu, json!({"t": de})).await;
    assert_forbidden(&s.gql(VERA, tu, json!({"t": mlops})).await, "teamUsers");
    assert_forbidden(&s.gql(DAN, tu, json!({"t": de})).await, "teamUsers");
    assert_eq!(
        code(&s.gql(SAM, tu, json!({"t": "nope"})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_forbidden(&s.gql(DAN, tu, json!({"t": "nope"})).await, "teamUsers");

    // paginatedTeams: count of all matches, cursor paging by id.
    let pt = "query($take: Int, $cursor: Uuid, $w: Uuid) { paginatedTeams(take: $take, cursor: $cursor, workspaceUuid: $w) { count teams { id name } } }";
    let all = s.ok(SAM, pt, json!({"take": -1, "cursor": ""})).await;
    assert_eq!(all["paginatedTeams"]["count"], 3);
    assert_eq!(all["paginatedTeams"]["teams"].as_array().unwrap().len(), 3);
    let first = s.ok(ADMIN, pt, json!({"take": 2})).await;
    let page = first["paginatedTeams"]["teams"].as_array().unwrap();
    assert_eq!(
        (first["paginatedTeams"]["count"].clone(), page.len()),
        (json!(3), 2)
    );
    let next = s
        .ok(ADMIN, pt, json!({"take": 2, "cursor": page[1]["id"]}))
        .await;
    let rest = next["paginatedTeams"]["teams"].as_array().unwrap();
    assert_eq!(rest.len(), 1);
    assert!(page.iter().all(|t| t["id"] != rest[0]["id"]));
    let d = s.ok(VERA, pt, json!({"w": dp})).await;
    assert_eq!(d["paginatedTeams"]["count"], 1);
    assert_forbidden(&s.gql(VERA, pt, json!({})).await, "paginatedTeams");
    let ml = s.workspace_id("ML Research").await;
    assert_forbidden(&s.gql(VERA, pt, json!({"w": ml})).await, "paginatedTeams");
    // omar holds system.teams.get through the Auditors team.
    assert_eq!(
        s.ok(OMAR, pt, json!({})).await["paginatedTeams"]["count"],
        3
    );

    // User.teams: one's own, or anyone's with system.teams.get.
    let d = s
        .ok(OMAR, "{ self { user { teams { name } } } }", json!({}))
        .await;
    assert_eq!(
        team_names(&d["self"]["user"]["teams"]),
        ["Auditors", "ML Ops"]
    );
    let d = s
        .ok(
            ADMIN,
            "query($e: String) { users(user: {email: $e}) { teams { name } } }",
            json!({"e": NORA}),
        )
        .await;
    assert_eq!(team_names(&d["users"][0]["teams"]), ["Data Engineering"]);
    s.h.shutdown().await;
}

#[tokio::test]
async fn team_system_roles() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let de = s.team_id("Data Engineering").await;
    let auditors = s.team_id("Auditors").await;
    let create = "mutation($t: Uuid!, $r: Role!) { createTeamSystemRoleBinding(teamUuid: $t, role: $r) { role team { name } workspace { id } } }";
    let delete = "mutation($t: Uuid!, $r: Role!) { deleteTeamSystemRoleBinding(teamUuid: $t, role: $r) { role } }";
    let key = s.workspace_key(&dp, "WORKSPACE_ADMIN").await;

    let before = s.h.db_generation();
    let vars = json!({"t": de, "r": "SYSTEM_EDITOR"});
    // system.teams.update: SYSTEM_ADMIN only.
    assert_forbidden(
        &s.gql(SAM, create, vars.clone()).await,
        "createTeamSystemRoleBinding",
    );
    assert_forbidden(
        &s.gql(GRACE, create, vars.clone()).await,
        "createTeamSystemRoleBinding",
    );
    assert_forbidden(
        &s.raw(Some(&key), create, vars.clone()).await,
        "createTeamSystemRoleBinding",
    );
    assert_bad_input(
        &s.gql(ADMIN, create, json!({"t": de, "r": "WORKSPACE_ADMIN"}))
            .await,
        "Invalid role",
    );
    assert_eq!(
        code(
            &s.gql(ADMIN, create, json!({"t": "nope", "r": "SYSTEM_EDITOR"}))
                .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    assert_bad_input(
        &s.gql(ADMIN, create, json!({"t": auditors, "r": "SYSTEM_VIEWER"}))
            .await,
        "A duplicate role binding already exists",
    );
    assert_forbidden(
        &s.gql(SAM, delete, json!({"t": auditors, "r": "SYSTEM_VIEWER"}))
            .await,
        "deleteTeamSystemRoleBinding",
    );
    assert_bad_input(
        &s.gql(ADMIN, delete, json!({"t": de, "r": "SYSTEM_VIEWER"}))
            .await,
        "The role binding does not exist for this team",
    );
    assert_eq!(s.h.db_generation(), before);

    assert_forbidden(&s.gql(NORA, "{ users { id } }", json!({})).await, "users");
    let d = s.ok(ADMIN, create, vars).await;
    assert_eq!(
        d["createTeamSystemRoleBinding"],
        json!({"role": "SYSTEM_EDITOR", "team": {"name": "Data Engineering"}, "workspace": null})
    );
    assert_eq!(
        s.ok(NORA, "{ users { id } }", json!({})).await["users"]
            .as_array()
            .unwrap()
            .len(),
        8
    );

    let d = s
        .ok(ADMIN, delete, json!({"t": auditors, "r": "SYSTEM_VIEWER"}))
        .await;
    assert_eq!(d["deleteTeamSystemRoleBinding"]["role"], "SYSTEM_VIEWER");
    let d = s.ok(OMAR, "{ workspaces { label } }", json!({})).await;
    assert_eq!(labels(&d, "workspaces"), ["ML Research"]);
    s.h.shutdown().await;
}

#[tokio::test]
async fn team_roles_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("houston.db");
    let mut cfg = test_config();
    cfg.db = Some(db.clone());
    let s = start_with(cfg.clone()).await;
    let mkt = s.workspace_id("Marketing Analytics").await;
    let mlops = s.team_id("ML Ops").await;
    s.ok(
        ADMIN,
        "mutation($w: Uuid!, $t: Uuid!) { workspaceAddTeam(workspaceUuid: $w, teamUuid: $t, role: WORKSPACE_EDITOR) { id } }",
        json!({"w": mkt, "t": mlops}),
    )
    .await;
    s.h.shutdown().await;
    let s = start_with(cfg).await;
    let d = s
        .ok(
            OMAR,
            "{ workspaces { label workspaceCapabilities { canCreateDeployment } } }",
            json!({}),
        )
        .await;
    let ws = d["workspaces"].as_array().unwrap();
    let mkt = ws
        .iter()
        .find(|w| w["label"] == "Marketing Analytics")
        .unwrap();
    assert_eq!(mkt["workspaceCapabilities"]["canCreateDeployment"], true);
    s.h.shutdown().await;
}
