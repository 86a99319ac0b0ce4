//! Team roles (0.28+): a team's workspace and deployment roles added, changed and removed.
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
async fn workspace_team_roles() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let mkt = s.workspace_id("Marketing Analytics").await;
    let de = s.team_id("Data Engineering").await;
    let mlops = s.team_id("ML Ops").await;
    let (core, _) = s.deployment("Core ETL").await;
    let (campaign, _) = s.deployment("Campaign Attribution").await;
    let add = "mutation($w: Uuid!, $t: Uuid!, $r: Role!, $dr: [DeploymentRoles!]) { workspaceAddTeam(workspaceUuid: $w, teamUuid: $t, role: $r, deploymentRoles: $dr) { label } }";
    let key = s.workspace_key(&dp, "WORKSPACE_EDITOR").await;

    // Refused, and nothing changes.
    let before = s.h.db_generation();
    let vars = json!({"w": dp, "t": mlops, "r": "WORKSPACE_VIEWER"});
    assert_forbidden(&s.gql(VERA, add, vars.clone()).await, "workspaceAddTeam");
    assert_forbidden(
        &s.gql(
            GRACE,
            add,
            json!({"w": mkt, "t": mlops, "r": "WORKSPACE_VIEWER"}),
        )
        .await,
        "workspaceAddTeam",
    );
    assert_forbidden(
        &s.raw(Some(&key), add, vars.clone()).await,
        "workspaceAddTeam",
    );
    assert_forbidden(&s.raw(None, add, vars.clone()).await, "workspaceAddTeam");
    assert_bad_input(
        &s.gql(
            GRACE,
            add,
            json!({"w": dp, "t": mlops, "r": "DEPLOYMENT_ADMIN"}),
        )
        .await,
        "invalid workspace role",
    );
    assert_bad_input(
        &s.gql(GRACE, add, json!({"w": dp, "t": mlops, "r": "WORKSPACE_VIEWER", "dr": [{"deploymentId": core, "role": "WORKSPACE_ADMIN"}]})).await,
        "Invalid role",
    );
    assert_bad_input(
        &s.gql(GRACE, add, json!({"w": dp, "t": mlops, "r": "WORKSPACE_VIEWER", "dr": [{"role": "DEPLOYMENT_VIEWER"}]})).await,
        "A required argument was not sent: deploymentRoles.deploymentId",
    );
    let other_ws = s
        .gql(GRACE, add, json!({"w": dp, "t": mlops, "r": "WORKSPACE_VIEWER", "dr": [{"deploymentId": campaign, "role": "DEPLOYMENT_VIEWER"}]}))
        .await;
    assert_eq!(code(&other_ws), "RESOURCE_NOT_FOUND");
    assert_eq!(
        code(
            &s.gql(
                GRACE,
                add,
                json!({"w": dp, "t": "nope", "r": "WORKSPACE_VIEWER"})
            )
            .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            add,
            json!({"w": dp, "t": de, "r": "WORKSPACE_VIEWER"}),
        )
        .await,
        "A duplicate role binding already exists",
    );
    assert_eq!(s.h.db_generation(), before);

    // Added with a deployment role: its member may now edit that deployment.
    let upd = "mutation($d: Uuid!) { updateDeployment(deploymentUuid: $d, payload: {description: \"by ML Ops\"}) { description } }";
    assert_forbidden(
        &s.gql(OMAR, upd, json!({"d": core})).await,
        "updateDeployment",
    );
    let d = s
        .ok(GRACE, add, json!({"w": dp, "t": mlops, "r": "WORKSPACE_VIEWER", "dr": [{"deploymentId": core, "role": "DEPLOYMENT_EDITOR"}]}))
        .await;
    assert_eq!(d["workspaceAddTeam"]["label"], "Data Platform");
    s.ok(OMAR, upd, json!({"d": core})).await;
    let wt = "query($w: Uuid!) { workspaceTeams(workspaceUuid: $w) { name } }";
    assert_eq!(
        team_names(&s.ok(ADMIN, wt, json!({"w": dp})).await["workspaceTeams"]),
        ["Data Engineering", "ML Ops"]
    );

    // Update the role (a scalar result).
    let update = "mutation($w: Uuid!, $t: Uuid!, $r: Role!) { workspaceUpdateTeamRole(workspaceUuid: $w, teamUuid: $t, role: $r) }";
    let before = s.h.db_generation();
    assert_forbidden(
        &s.gql(
            LINUS,
            update,
            json!({"w": dp, "t": de, "r": "WORKSPACE_VIEWER"}),
        )
        .await,
        "workspaceUpdateTeamRole",
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            update,
            json!({"w": dp, "t": de, "r": "SYSTEM_ADMIN"}),
        )
        .await,
        "invalid workspace role",
    );
    let not_there = s
        .gql(
            ADMIN,
            update,
            json!({"w": mkt, "t": de, "r": "WORKSPACE_VIEWER"}),
        )
        .await;
    assert_eq!(code(&not_there), "RESOURCE_NOT_FOUND");
    assert_eq!(s.h.db_generation(), before);
    let d = s
        .ok(
            GRACE,
            update,
            json!({"w": dp, "t": de, "r": "WORKSPACE_VIEWER"}),
        )
        .await;
    assert_eq!(d["workspaceUpdateTeamRole"], "WORKSPACE_VIEWER");
    assert_forbidden(
        &s.gql(NORA, CREATE, json!({"w": dp})).await,
        "createDeployment",
    );

    // Remove: every role of the team in the workspace goes, deployment roles included.
    let remove = "mutation($w: Uuid!, $t: Uuid!) { workspaceRemoveTeam(workspaceUuid: $w, teamUuid: $t) { label } }";
    assert_forbidden(
        &s.gql(LINUS, remove, json!({"w": dp, "t": de})).await,
        "workspaceRemoveTeam",
    );
    assert_forbidden(
        &s.raw(Some(&key), remove, json!({"w": dp, "t": de})).await,
        "workspaceRemoveTeam",
    );
    s.ok(GRACE, remove, json!({"w": dp, "t": de})).await;
    let (reverse, _) = s.deployment("Reverse ETL").await;
    let dt = "query($d: Uuid!) { deploymentTeams(deploymentUuid: $d) { name } }";
    assert_eq!(
        s.ok(ADMIN, dt, json!({"d": reverse})).await["deploymentTeams"],
        json!([])
    );
    assert_eq!(
        code(&s.gql(GRACE, remove, json!({"w": dp, "t": de})).await),
        "RESOURCE_NOT_FOUND"
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn deployment_team_roles() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let de = s.team_id("Data Engineering").await;
    let mlops = s.team_id("ML Ops").await;
    let (core, _) = s.deployment("Core ETL").await;
    let (reverse, _) = s.deployment("Reverse ETL").await;
    let add = "mutation($t: Uuid!, $d: Uuid!, $r: Role!) { deploymentAddTeamRole(teamUuid: $t, deploymentUuid: $d, role: $r) { id role team { name } deployment { label } } }";
    let key = s.workspace_key(&dp, "WORKSPACE_EDITOR").await;
    // omar sees every deployment (SYSTEM_VIEWER through Auditors); editing needs a role.
    let edit = "mutation($d: Uuid!) { updateDeployment(deploymentUuid: $d, payload: {description: \"x\"}) { label } }";

    let before = s.h.db_generation();
    let vars = json!({"t": mlops, "d": core, "r": "DEPLOYMENT_EDITOR"});
    // DEPLOYMENT_EDITOR (linus, via his workspace role) lacks deployment.teamRoles.update.
    assert_forbidden(
        &s.gql(LINUS, add, vars.clone()).await,
        "deploymentAddTeamRole",
    );
    assert_forbidden(
        &s.gql(DAN, add, vars.clone()).await,
        "deploymentAddTeamRole",
    );
    assert_forbidden(
        &s.raw(Some(&key), add, vars.clone()).await,
        "deploymentAddTeamRole",
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            add,
            json!({"t": mlops, "d": core, "r": "WORKSPACE_VIEWER"}),
        )
        .await,
        "Invalid role",
    );
    assert_eq!(
        code(
            &s.gql(
                GRACE,
                add,
                json!({"t": "nope", "d": core, "r": "DEPLOYMENT_VIEWER"})
            )
            .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    assert_eq!(
        code(
            &s.gql(
                GRACE,
                add,
                json!({"t": mlops, "d": "nope", "r": "DEPLOYMENT_VIEWER"})
            )
            .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            add,
            json!({"t": de, "d": reverse, "r": "DEPLOYMENT_VIEWER"}),
        )
        .await,
        "A duplicate role binding already exists",
    );
    assert_eq!(s.h.db_generation(), before);

    assert_forbidden(
        &s.gql(OMAR, edit, json!({"d": core})).await,
        "updateDeployment",
    );
    let d = s.ok(GRACE, add, vars).await;
    assert_eq!(d["deploymentAddTeamRole"]["role"], "DEPLOYMENT_EDITOR");
    assert_eq!(d["deploymentAddTeamRole"]["team"]["name"], "ML Ops");
    assert_eq!(
        d["deploymentAddTeamRole"]["deployment"]["label"],
        "Core ETL"
    );
    assert_eq!(
        s.ok(OMAR, edit, json!({"d": core})).await["updateDeployment"]["label"],
        "Core ETL"
    );

    let update = "mutation($t: Uuid!, $d: Uuid!, $r: Role!) { deploymentUpdateTeamRole(teamUuid: $t, deploymentUuid: $d, role: $r) { role } }";
    let before = s.h.db_generation();
    assert_forbidden(
        &s.gql(
            LINUS,
            update,
            json!({"t": de, "d": reverse, "r": "DEPLOYMENT_VIEWER"}),
        )
        .await,
        "deploymentUpdateTeamRole",
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            update,
            json!({"t": de, "d": reverse, "r": "SYSTEM_VIEWER"}),
        )
        .await,
        "Invalid role",
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            update,
            json!({"t": mlops, "d": reverse, "r": "DEPLOYMENT_VIEWER"}),
        )
        .await,
        "The role binding does not exist for this team",
    );
    assert_eq!(s.h.db_generation(), before);
    let caps = "query($d: String!) { deployment(where: {id: $d}) { deploymentCapabilities { canDeleteDeployment } } }";
    assert_eq!(
        s.ok(NORA, caps, json!({"d": reverse})).await["deployment"]["deploymentCapabilities"]["canDeleteDeployment"],
        true
    );
    let d = s
        .ok(
            GRACE,
            update,
            json!({"t": de, "d": reverse, "r": "DEPLOYMENT_VIEWER"}),
        )
        .await;
    assert_eq!(d["deploymentUpdateTeamRole"]["role"], "DEPLOYMENT_VIEWER");
    // The team's workspace role (EDITOR ⇒ DEPLOYMENT_EDITOR) still applies; ADMIN is gone.
    assert_eq!(
        s.ok(NORA, caps, json!({"d": reverse})).await["deployment"]["deploymentCapabilities"]["canDeleteDeployment"],
        false
    );

    let remove = "mutation($t: Uuid!, $d: Uuid!) { deploymentRemoveTeamRole(deploymentUuid: $d, teamUuid: $t) { id role } }";
    assert_forbidden(
        &s.gql(VERA, remove, json!({"t": mlops, "d": core})).await,
        "deploymentRemoveTeamRole",
    );
    let d = s.ok(ADMIN, remove, json!({"t": mlops, "d": core})).await;
    assert_eq!(d["deploymentRemoveTeamRole"]["role"], "DEPLOYMENT_EDITOR");
    assert_forbidden(
        &s.gql(OMAR, edit, json!({"d": core})).await,
        "updateDeployment",
    );
    assert_bad_input(
        &s.gql(ADMIN, remove, json!({"t": mlops, "d": core})).await,
        "The role binding does not exist for this team",
    );
    s.h.shutdown().await;
}
