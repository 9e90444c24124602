use crate::helpers::{each_backend, Backend};

#[test]
fn healthz_answers_without_touching_the_database() {
    each_backend(|app| {
        let answer = app.get("/healthz");
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json()["status"], "ok");
    });
}

#[test]
fn readyz_reports_the_migrated_database() {
    each_backend(|app| {
        let answer = app.get("/readyz");
        assert_eq!(answer.status, 200, "{}", answer.body);
        let expected = match app.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        assert_eq!(answer.json()["database"], expected);
    });
}

#[test]
fn every_answer_carries_a_request_id() {
    each_backend(|app| {
        let ok = app.get("/api/v1/annex");
        let missing = app.get("/no/such/thing");
        let ok_id = ok.header("x-request-id").expect("a request id on success");
        let problem = missing.problem(404);
        assert_eq!(
            Some(problem["request_id"].as_str().unwrap()),
            missing.header("x-request-id")
        );
        assert_ne!(Some(ok_id), missing.header("x-request-id"));
    });
}

#[test]
fn metrics_count_requests_by_route_pattern_and_status() {
    each_backend(|app| {
        app.get("/api/v1/annex?lang=fr");
        app.get("/api/v1/annex?lang=xx");
        app.get("/not/a/route/1234");
        let answer = app.get("/metrics");
        assert_eq!(answer.status, 200);
        assert!(answer
            .header("content-type")
            .unwrap()
            .starts_with("text/plain"));
        let text = answer.body;
        assert!(text.contains(r#"compendium_http_requests_total{method="GET",route="/api/v1/annex",status="200"} 1"#), "{text}");
        assert!(text.contains(r#"compendium_http_requests_total{method="GET",route="/api/v1/annex",status="400"} 1"#), "{text}");
        assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
        assert!(
            !text.contains("/not/a/route"),
            "raw paths must not become labels"
        );
        assert!(text.contains("compendium_http_request_duration_seconds_bucket"));
    });
}
