//! Bad input of every kind gets a problem document with the right status.

use crate::helpers::each_backend;

#[test]
fn an_unknown_path_is_a_404_problem() {
    each_backend(|app| {
        let problem = app.get("/api/v1/nothing-here").problem(404);
        assert_eq!(problem["type"], "urn:compendium:problem:not-found");
        assert!(problem["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/nothing-here"));
        app.get("/docs/no-such-file.js").problem(404);
    });
}

#[test]
fn a_wrong_method_is_a_405_problem() {
    each_backend(|app| {
        let problem = app.request("DELETE", "/api/v1/annex").problem(405);
        assert_eq!(problem["type"], "urn:compendium:problem:method-not-allowed");
        app.post_raw("/api/v1/entities", "application/json", b"{}".to_vec())
            .problem(405);
    });
}
