//! Telling "this Houston's schema cannot run the document" apart from every other error.
//!
//! GraphQL servers validate a document before running it; a field, argument or type the server
//! does not have fails validation with a fixed wording (graphql-js, which Houston's Apollo
//! Server uses, and async-graphql, which houston-local uses). Apollo answers HTTP 400 with code
//! `GRAPHQL_VALIDATION_FAILED`; other servers answer 200 or send no code. Validation runs before
//! any resolver, so such an answer says nothing about permissions or data: only that an older
//! (or newer) Houston lacks what the document asks for.

/// Phrases that only a schema-mismatch validation error contains.
const MISMATCH_PHRASES: [&str; 9] = [
    // `Cannot query field "namespace" on type "Deployment".` (graphql-js)
    "Cannot query field \"",
    // The same in async-graphql's words.
    "Unknown field \"",
    // `Unknown argument "triggerer" on field "Mutation.createDeployment".`
    "Unknown argument \"",
    // `Unknown type "Triggerer".` (a variable of a type the server lacks)
    "Unknown type \"",
    // A required argument the document does not send (graphql-js, async-graphql).
    "is required, but it was not provided",
    "is required but not provided",
    // `Variable "$releaseName" of type "String" used in position expecting type "String!".`
    "used in position expecting type",
    // A field that is a scalar on one version and an object on another.
    "must not have a selection since type",
    "must have a selection of subfields",
];

/// The validation code Apollo Server gives these errors.
const VALIDATION_CODE: &str = "GRAPHQL_VALIDATION_FAILED";

/// Whether one error message says the schema lacks something the document uses.
pub fn is_schema_mismatch(message: &str) -> bool {
    MISMATCH_PHRASES.iter().any(|p| message.contains(p)) || is_unknown_input_field(message)
}

/// `Field "uuid" is not defined by type "DeploymentWhereUniqueInput".` (graphql-js; older
/// releases leave the type unquoted).
fn is_unknown_input_field(message: &str) -> bool {
    message.starts_with("Field \"") && message.contains("\" is not defined by type ")
}

/// Whether a reply's errors amount to a schema mismatch: at least one message says so and no
/// error carries a code other than the validation one (a resolver error — FORBIDDEN, bad input —
/// means the document was valid and ran).
pub(crate) fn errors_are_schema_mismatch<M: AsRef<str>, C: AsRef<str>>(
    messages: &[M],
    codes: &[C],
) -> bool {
    messages.iter().any(|m| is_schema_mismatch(m.as_ref()))
        && codes.iter().all(|c| c.as_ref() == VALIDATION_CODE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphql_js_and_async_graphql_wordings() {
        for message in [
            r#"Cannot query field "namespace" on type "Deployment"."#,
            r#"Cannot query field "roleBinding" on type "ServiceAccount". Did you mean "roleBindings"?"#,
            r#"Unknown field "namespace" on type "Deployment"."#,
            r#"Unknown argument "triggerer" on field "Mutation.createDeployment"."#,
            r#"Unknown argument "triggerer" on field "createDeployment" of type "Mutation"."#,
            r#"Unknown type "Triggerer"."#,
            r#"Field "updateDeploymentVariables" argument "releaseName" of type "String!" is required, but it was not provided."#,
            r#"Field "workspace" argument "workspaceUuid" of type "Uuid!" is required but not provided"#,
            r#"Variable "$releaseName" of type "String" used in position expecting type "String!"."#,
            r#"Field "featureFlags" must not have a selection since type "JSON" has no subfields."#,
            r#"Field "invites" of type "Invite" must have a selection of subfields. Did you mean "invites { ... }"?"#,
            r#"Field "uuid" is not defined by type "DeploymentWhereUniqueInput"."#,
            r#"Field "uuid" is not defined by type DeploymentWhereUniqueInput."#,
        ] {
            assert!(is_schema_mismatch(message), "{message}");
        }
    }

    #[test]
    fn other_errors_are_not_mismatches() {
        for message in [
            "You do not have the appropriate permissions for that",
            "The requested resource was not found",
            r#"Variable "$x" is not used"#,
            r#"Syntax Error: Expected Name, found "}"."#,
            "Invalid password and username combination",
            "A required argument was not sent: releaseName",
            "",
        ] {
            assert!(!is_schema_mismatch(message), "{message}");
        }
    }

    #[test]
    fn codes_must_all_be_validation_codes() {
        let cannot = [r#"Cannot query field "x" on type "Query"."#];
        assert!(errors_are_schema_mismatch(&cannot, &[VALIDATION_CODE]));
        assert!(errors_are_schema_mismatch::<_, &str>(&cannot, &[]));
        assert!(!errors_are_schema_mismatch(&cannot, &["FORBIDDEN"]));
        assert!(!errors_are_schema_mismatch(
            &["You do not have the appropriate permissions for that"],
            &[VALIDATION_CODE]
        ));
        // One mismatch among several validation errors is enough.
        assert!(errors_are_schema_mismatch(
            &[r#"Variable "$x" is not used"#, cannot[0]],
            &[VALIDATION_CODE, VALIDATION_CODE]
        ));
    }
}
