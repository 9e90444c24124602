use crate::helpers::{Backend, TestApp};

const REGENERATE: &str = "cargo run -q -- openapi > openapi/openapi.json";

#[test]
fn the_committed_spec_matches_the_code() {
    let app = TestApp::spawn(Backend::Sqlite);
    let served = app.get("/openapi.json");
    assert_eq!(served.status, 200);
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap_or_else(|e| {
                panic!("openapi/openapi.json cannot be read ({e}); create it with `{REGENERATE}`")
            });
    let committed: serde_json::Value =
        serde_json::from_str(&committed).expect("the committed spec is JSON");
    assert!(
        served.json() == committed,
        "openapi/openapi.json differs from the spec the code serves; regenerate it with `{REGENERATE}`"
    );
    assert_eq!(
        committed,
        serde_json::from_str::<serde_json::Value>(&compendium::api::openapi::document_json())
            .unwrap()
    );
}

#[test]
fn the_spec_documents_the_contract_paths() {
    let spec: serde_json::Value =
        serde_json::from_str(&compendium::api::openapi::document_json()).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/annex",
        "/api/v1/entities",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} is missing from the spec"
        );
    }
}

#[test]
fn interactive_documentation_is_served_offline() {
    let app = TestApp::spawn(Backend::Sqlite);
    let redirect = app.get("/docs");
    assert_eq!(redirect.status, 200, "the client follows /docs to /docs/");
    assert!(redirect.body.contains("swagger-ui"), "{}", redirect.body);
    let script = app.get("/docs/swagger-ui-bundle.js");
    assert_eq!(script.status, 200);
    assert!(
        script.body.len() > 100_000,
        "the bundle is served from the binary, not a CDN"
    );
    let initializer = app.get("/docs/swagger-initializer.js");
    assert!(
        initializer.body.contains("/openapi.json"),
        "{}",
        initializer.body
    );
}

/// utoipa names a schema after its Rust type and keeps the last of two
/// types with the same name: each request body must still describe what
/// its handler reads.
#[test]
fn request_bodies_describe_what_their_handlers_read() {
    let spec: serde_json::Value =
        serde_json::from_str(&compendium::api::openapi::document_json()).unwrap();
    for (path, fields) in [
        ("/api/v1/submissions/{id}/accept", &["note"][..]),
        ("/api/v1/submissions/{id}/reject", &["reason"][..]),
        ("/api/v1/submissions/{id}/request-changes", &["message"][..]),
        (
            "/api/v1/tagging/suggest",
            &["body", "language", "title"][..],
        ),
    ] {
        let reference = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
            ["schema"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{path} has a request body schema"));
        let name = reference.rsplit('/').next().unwrap();
        let properties = spec["components"]["schemas"][name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has properties"));
        let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, fields, "{path} ({name})");
    }
}

#[test]
fn every_reference_in_the_spec_resolves() {
    fn references<'a>(value: &'a serde_json::Value, found: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value.as_str()) {
                        ("$ref", Some(target)) => found.push(target),
                        _ => references(value, found),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| references(v, found)),
            _ => {}
        }
    }
    let spec: serde_json::Value =
        serde_json::from_str(&compendium::api::openapi::document_json()).unwrap();
    let mut found = Vec::new();
    references(&spec, &mut found);
    assert!(!found.is_empty());
    for target in found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{target} is not a schema reference"));
        assert!(
            spec["components"]["schemas"].get(name).is_some(),
            "{target} names no schema"
        );
    }
}

#[test]
fn parameters_are_never_null() {
    let spec: serde_json::Value =
        serde_json::from_str(&compendium::api::openapi::document_json()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let schema = parameter["schema"].to_string();
                assert!(
                    !schema.contains("null"),
                    "{method} {path} {}: {schema}",
                    parameter["name"]
                );
            }
        }
    }
}

#[test]
fn every_link_leads_to_an_operation_and_its_parameters() {
    let spec: serde_json::Value =
        serde_json::from_str(&compendium::api::openapi::document_json()).unwrap();
    let mut operations = std::collections::BTreeMap::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(id) = operation["operationId"].as_str() {
                operations.insert(id.to_owned(), operation.clone());
            }
        }
    }
    let mut links = 0;
    for item in spec["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            for response in operation["responses"].as_object().into_iter().flatten() {
                for (name, link) in response.1["links"].as_object().into_iter().flatten() {
                    links += 1;
                    let target = &operations[link["operationId"].as_str().unwrap()];
                    for parameter in link["parameters"].as_object().unwrap().keys() {
                        let wanted = parameter.rsplit('.').next().unwrap();
                        assert!(
                            target["parameters"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .any(|p| p["name"] == wanted),
                            "link {name} sets {parameter}, which {} does not take",
                            link["operationId"]
                        );
                    }
                }
            }
        }
    }
    assert!(links >= 20, "{links} links");
}
