//! What a caller with a role on one deployment needs from the client: its deployment roles read
//! from `self`, and `deployment(where: {releaseName})` — how `:deploy NAME` reaches a deployment
//! no list holds (a deployment service account's key lists none), in forms that fit the
//! Houstons they are for.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake_houston;

use astrodash::houston::documents::DEPLOYMENT_BY_RELEASE;
use astrodash::houston::model::{DeploymentRole, Role};
use astrodash::houston::variants::ReadOperation;
use astrodash::houston::{HoustonClient, convert, ops};
use fake_houston::validate::{Schema, validate};
use fake_houston::*;

#[test]
fn the_newest_form_fits_1_0_the_others_0_35_and_the_oldest_0_23() {
    // The newest form is Houston 1.0's: it fits houston-local's schema (every version's fields).
    let schema_1_0 = Schema::parse(&sdl("schema.graphql"));
    let schema_0_35 = Schema::parse(&sdl_0_35());
    let schema_0_23 = Schema::parse(&sdl_0_23());
    let variants = DEPLOYMENT_BY_RELEASE.variants();
    assert_eq!(variants.len(), 4);
    let (newest, older) = variants.split_first().unwrap();
    assert_eq!(newest.document, "DeploymentByReleaseV100");
    assert_eq!(validate(&schema_1_0, newest.query), Vec::<String>::new());
    for v in older {
        assert_eq!(
            validate(&schema_0_35, v.query),
            Vec::<String>::new(),
            "{}",
            v.document
        );
    }
    for v in &variants {
        assert!(
            v.query
                .contains("deployment(where: { releaseName: $releaseName })")
        );
    }
    let oldest = variants.last().unwrap();
    assert_eq!(oldest.document, "DeploymentByReleaseV023");
    assert_eq!(validate(&schema_0_23, oldest.query), Vec::<String>::new());
}

#[tokio::test]
async fn a_deployment_is_read_by_release_name_on_houston_0_35_and_0_23() {
    for (sdl, version) in [(sdl_0_35(), "0.35.0"), (sdl_0_23(), "0.23.0")] {
        let fake = FakeHouston::start(Setup::new(sdl, Some(version))).await;
        let client = HoustonClient::new(&fake.url, Some("test-token".into())).unwrap();
        client.probe_version().await.ok();
        let d = client.deployment_by_release(RELEASE).await.unwrap();
        assert_eq!(d.id.as_str(), DEPLOYMENT_ID, "{version}");
        assert_eq!(d.release_name, RELEASE, "{version}");
        let sent = fake.operations();
        let expected = if version == "0.23.0" {
            "DeploymentByReleaseV023"
        } else {
            "DeploymentByRelease"
        };
        assert_eq!(sent.last().map(String::as_str), Some(expected), "{sent:?}");
    }
}

#[test]
fn self_role_bindings_give_the_deployment_roles() {
    let data: ops::me::ResponseData = serde_json::from_str(
        r#"{"self":{"user":{"id":"u-dan","username":"dan","fullName":"Dan","status":"active",
            "emails":[{"address":"dan@example.com","primary":true}],
            "roleBindings":[
              {"role":"USER","deployment":null},
              {"role":"WORKSPACE_VIEWER","deployment":null},
              {"role":"DEPLOYMENT_EDITOR","deployment":{"id":"d-camp","label":"Campaign Attribution",
                "releaseName":"lunar-eclipse-4321","workspace":{"id":"ws-mkt","label":"Marketing"}}},
              {"role":"DEPLOYMENT_VIEWER","deployment":{"id":"d-web","label":"","releaseName":null,
                "workspace":null}},
              {"role":"DEPLOYMENT_ADMIN","deployment":null}
            ]},
          "authUserCapabilities":{"canSysAdmin":false}}}"#,
    )
    .unwrap();
    let me = convert::me(data).unwrap();
    assert_eq!(
        me.deployment_roles,
        vec![
            DeploymentRole {
                role: Role::DeploymentEditor,
                deployment_id: "d-camp".into(),
                label: "Campaign Attribution".into(),
                release_name: "lunar-eclipse-4321".into(),
                workspace_id: Some("ws-mkt".into()),
                workspace_label: Some("Marketing".into()),
            },
            // What Houston leaves out (a workspace hidden, an empty label) stays empty.
            DeploymentRole {
                role: Role::DeploymentViewer,
                deployment_id: "d-web".into(),
                label: "d-web".into(),
                release_name: String::new(),
                workspace_id: None,
                workspace_label: None,
            },
        ]
    );
}
