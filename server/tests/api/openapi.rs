//! The API contract (issue 12): the OpenAPI 3.1 document made from the
//! routes covers every `/api/v1` route with its security, and the reference
//! page is served by Redline itself, with nothing from elsewhere.
use crate::helpers::TestApp;
use serde_json::Value;

on_both_backends!(
    the_openapi_document_covers_every_api_route_with_its_scopes_and_errors,
    the_reference_page_is_served_offline,
);

const PATHS: [&str; 22] = [
    "/api/v1/cases",
    "/api/v1/cases/export.csv",
    "/api/v1/cases/export.jsonl",
    "/api/v1/cases/{case_no}",
    "/api/v1/cases/{case_no}/actions",
    "/api/v1/cases/{case_no}/chain",
    "/api/v1/cases/{case_no}/evidence",
    "/api/v1/cases/{case_no}/preservation",
    "/api/v1/deadlines",
    "/api/v1/platform/cases/{case_no}/preservation",
    "/api/v1/platform/parties",
    "/api/v1/platform/sessions",
    "/api/v1/tips",
    "/api/v1/tips/{tip_no}",
    "/api/v1/tips/{tip_no}/answer",
    "/api/v1/webhooks",
    "/api/v1/webhooks/{id}",
    "/api/v1/webhooks/{id}/deliveries/{delivery_id}/replay",
    "/api/v1/webhooks/{id}/disable",
    "/api/v1/webhooks/{id}/enable",
    "/api/v1/webhooks/{id}/rotate-secret",
    "/api/v1/webhooks/{id}/test",
];

async fn the_openapi_document_covers_every_api_route_with_its_scopes_and_errors(app: TestApp) {
    let (status, doc) = app.client().json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(paths, PATHS.to_vec());
    assert_eq!(doc["components"]["securitySchemes"]["api_key"]["scheme"], "bearer");
    let mut operations = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            let error = &responses["400"]["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(error, "#/components/schemas/ErrorBody", "{method} {path}: the one error shape");
            if path == "/api/v1/deadlines" {
                assert_eq!(op["security"], Value::Null, "the calendar is public");
                continue;
            }
            let scopes = op["security"][0]["api_key"].as_array().unwrap_or_else(|| panic!("{method} {path}: no key"));
            assert_eq!(scopes.len(), 1, "{method} {path}");
            assert!(responses.contains_key("401") && responses.contains_key("403"), "{method} {path}");
            if method == "post" {
                let takes_key = op["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "Idempotency-Key");
                assert!(takes_key, "{method} {path}: Idempotency-Key documented");
            }
        }
    }
    assert_eq!(operations, 24);
    // The states a list can be filtered by are the rules' own, all 24 of them.
    let state = doc["paths"]["/api/v1/cases"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "state")
        .unwrap()
        .clone();
    assert_eq!(state["schema"]["enum"].as_array().map(Vec::len), Some(24), "{state}");
    assert_eq!(state["required"], false);
    let dossier = &doc["components"]["schemas"]["CaseDossier"];
    assert!(dossier.to_string().contains("allowed_actions") && dossier.to_string().contains("timeline"));
}

async fn the_reference_page_is_served_offline(app: TestApp) {
    let p = app.client().get("/api/v1/docs").await;
    assert_eq!(p.status, 200);
    for path in PATHS {
        assert!(p.body.contains(&format!("{path}</code>")), "{path} listed");
    }
    assert!(p.body.contains("id=\"schema-CaseDossier\""));
    assert!(
        !p.body.contains("<script") && !p.body.contains("https://cdn") && !p.body.contains("<link"),
        "nothing from elsewhere"
    );
}
