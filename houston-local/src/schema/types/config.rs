//! Platform configuration objects (`appConfig`, `authConfig`, `deploymentConfig`).

use async_graphql::SimpleObject;
use serde_json::json;

use super::*;
use crate::schema::Json;

#[derive(SimpleObject)]
pub struct AppConfig {
    pub version: Option<String>,
    pub base_domain: Option<String>,
    pub smtp_configured: Option<bool>,
    #[graphql(visible = "crate::versioning::before_2_0")]
    pub manual_release_names: Option<bool>,
    pub prometheus_enabled: Option<bool>,
    pub elastic_search_enabled: Option<bool>,
    #[graphql(visible = "crate::versioning::from_0_25_before_2_0")]
    pub configure_dag_deployment: Option<bool>,
    #[graphql(visible = "crate::versioning::from_0_25_before_2_0")]
    pub nfs_mount_dag_deployment: Option<bool>,
    #[graphql(visible = "crate::versioning::from_0_25_before_2_0")]
    pub manual_namespace_names: Option<bool>,
    #[graphql(visible = "crate::versioning::from_0_25_before_2_0")]
    pub hard_delete_deployment: Option<bool>,
    #[graphql(visible = "crate::versioning::from_0_28_before_2_0")]
    pub triggerer_enabled: Option<bool>,
    #[graphql(visible = "crate::versioning::since_0_28")]
    pub feature_flags: Option<Json>,
    #[graphql(visible = "crate::versioning::since_0_29_2")]
    pub byo_update_registry_host: Option<String>,
}

#[derive(SimpleObject)]
pub struct AuthProvider {
    pub name: String,
    pub display_name: Option<String>,
    pub url: String,
}

#[derive(SimpleObject)]
pub struct AuthConfig {
    pub public_signup: Option<bool>,
    pub external_signup_url: Option<String>,
    pub initial_signup: Option<bool>,
    pub local_enabled: Option<bool>,
    pub providers: Option<Vec<AuthProvider>>,
}

#[derive(SimpleObject)]
pub struct AstroUnit {
    pub cpu: Option<i32>,
    pub memory: Option<i32>,
    pub pods: Option<f64>,
    pub airflow_conns: Option<f64>,
    pub actual_conns: Option<f64>,
    pub price: Option<f64>,
}

#[derive(SimpleObject)]
pub struct AirflowImage {
    pub version: String,
    pub channel: String,
    pub tag: String,
}

#[derive(SimpleObject)]
pub struct DeploymentConfig {
    pub defaults: Option<Json>,
    pub limits: Option<Json>,
    pub astro_unit: Option<AstroUnit>,
    pub max_extra_au: Option<i32>,
    pub executors: Option<Json>,
    pub single_namespace: bool,
    pub logging_enabled: bool,
    pub latest_version: Option<String>,
    #[graphql(visible = "crate::versioning::before_1_0_1")]
    pub airflow_images: Vec<AirflowImage>,
    #[graphql(visible = "crate::versioning::before_1_0_1")]
    pub airflow_versions: Vec<String>,
    #[graphql(visible = "crate::versioning::before_1_0_1")]
    pub default_airflow_image_tag: String,
    pub default_airflow_chart_version: String,
}

pub fn deployment_config() -> DeploymentConfig {
    use crate::resources::*;
    DeploymentConfig {
        defaults: Some(async_graphql::Json(json!({
            "executor": "CeleryExecutor",
            "components": default_config("CeleryExecutor"),
        }))),
        limits: Some(async_graphql::Json(json!({
            "maxPodAu": MAX_POD_AU,
            "maxExtraAu": MAX_EXTRA_AU,
            "cpu": MAX_POD_AU * AU_CPU,
            "memory": MAX_POD_AU * AU_MEMORY,
        }))),
        astro_unit: Some(AstroUnit {
            cpu: Some(AU_CPU as i32),
            memory: Some(AU_MEMORY as i32),
            pods: Some(1.0),
            airflow_conns: Some(5.0),
            actual_conns: Some(0.5),
            price: Some(0.0),
        }),
        max_extra_au: Some(MAX_EXTRA_AU as i32),
        executors: Some(async_graphql::Json(json!(
            EXECUTORS
                .iter()
                .map(|e| json!({
                    "name": e,
                    "defaultExtraAu": default_extra_au(e),
                    "components": default_config(e),
                }))
                .collect::<Vec<_>>()
        ))),
        single_namespace: false,
        logging_enabled: true,
        latest_version: Some(DEFAULT_AIRFLOW_VERSION.into()),
        airflow_images: AIRFLOW_VERSIONS
            .iter()
            .flat_map(|v| {
                [
                    AirflowImage {
                        version: v.to_string(),
                        channel: "stable".into(),
                        tag: format!("{v}-onbuild"),
                    },
                    AirflowImage {
                        version: v.to_string(),
                        channel: "stable".into(),
                        tag: format!("{v}-buster-onbuild"),
                    },
                ]
            })
            .collect(),
        airflow_versions: AIRFLOW_VERSIONS.iter().map(|s| s.to_string()).collect(),
        default_airflow_image_tag: format!("{DEFAULT_AIRFLOW_VERSION}-onbuild"),
        default_airflow_chart_version: CHART_VERSION.into(),
    }
}
