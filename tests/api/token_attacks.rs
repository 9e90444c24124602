//! Forged, stale and stolen tokens: each one is a 401, never a way in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use compendium::domain::account::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::{each_backend, TestApp, TestUser, TEST_SECRET};

fn claims(user: &TestUser, role: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "iss": "compendium", "aud": "compendium-api", "sub": user.id, "role": role,
        "entity": null, "iat": now, "nbf": now, "exp": now + 600,
        "jti": uuid::Uuid::now_v7().to_string(), "typ": "access"
    })
}

fn sign(claims: &Value, algorithm: Algorithm, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret).unwrap(),
    )
    .unwrap()
}

fn signed(claims: &Value) -> String {
    sign(claims, Algorithm::HS256, TEST_SECRET.as_bytes())
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

fn without(mut claims: Value, key: &str) -> Value {
    claims.as_object_mut().unwrap().remove(key);
    claims
}

fn refused(app: &TestApp, token: &str, what: &str) {
    let answer = app.get_as(token, "/api/v1/me");
    assert_eq!(answer.status, 401, "{what} was let in: {}", answer.body);
    answer.problem(401);
    assert_eq!(answer.header("www-authenticate"), Some("Bearer"), "{what}");
}

#[test]
fn a_token_signed_by_the_service_with_these_claims_is_accepted() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let answer = app.get_as(&signed(&claims(&editor, "editor")), "/api/v1/me");
        assert_eq!(
            answer.status, 200,
            "the forging helpers must build valid tokens: {}",
            answer.body
        );
    });
}

#[test]
fn forged_and_malformed_tokens_are_refused() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let base = claims(&editor, "editor");
        let now = chrono::Utc::now().timestamp();

        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(base.to_string());
        refused(app, &format!("{header}.{payload}."), "alg none");
        refused(
            app,
            &sign(
                &base,
                Algorithm::HS256,
                b"another-secret-another-secret-another",
            ),
            "another key",
        );
        refused(
            app,
            &sign(&base, Algorithm::HS512, TEST_SECRET.as_bytes()),
            "another algorithm (HS512)",
        );

        let genuine = signed(&base);
        let parts: Vec<&str> = genuine.split('.').collect();
        let tampered =
            URL_SAFE_NO_PAD.encode(with(base.clone(), "sub", json!("someone-else")).to_string());
        refused(
            app,
            &format!("{}.{tampered}.{}", parts[0], parts[2]),
            "a tampered payload",
        );

        refused(
            app,
            &signed(&with(
                with(base.clone(), "exp", json!(now - 3600)),
                "nbf",
                json!(now - 7200),
            )),
            "expired",
        );
        refused(
            app,
            &signed(&with(base.clone(), "nbf", json!(now + 3600))),
            "not yet valid",
        );
        refused(
            app,
            &signed(&with(base.clone(), "iss", json!("someone-else"))),
            "wrong issuer",
        );
        refused(
            app,
            &signed(&with(base.clone(), "aud", json!("another-api"))),
            "wrong audience",
        );
        for claim in ["exp", "nbf", "iss", "aud", "sub", "jti", "typ", "role"] {
            refused(
                app,
                &signed(&without(base.clone(), claim)),
                &format!("missing {claim}"),
            );
        }
        refused(
            app,
            &signed(&with(base.clone(), "sub", json!("no-such-user"))),
            "an unknown subject",
        );
        refused(
            app,
            &signed(&with(base.clone(), "typ", json!("api"))),
            "an API token that was never issued",
        );

        for garbage in [
            "Bearer",
            "Bearer not.a.jwt",
            "Bearer ....",
            "Basic dXNlcjpwYXNz",
            "Token abc",
            "Bearer é",
        ] {
            let request = ureq::http::Request::builder()
                .uri(app.url("/api/v1/me"))
                .header("authorization", garbage)
                .body(())
                .unwrap();
            let answer = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .new_agent()
                .run(request);
            if let Ok(response) = answer {
                assert_eq!(response.status(), 401, "{garbage:?}");
            }
        }
    });
}

#[test]
fn revoked_api_tokens_and_disabled_users_are_refused() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        let focal = app.user(Role::FocalPoint, Some("CHL"));
        let made = app
            .post_as(
                &focal.token,
                "/api/v1/auth/api-tokens",
                &json!({"name": "script"}),
            )
            .json();
        let api_token = made["token"].as_str().unwrap().to_owned();
        assert_eq!(app.get_as(&api_token, "/api/v1/me").status, 200);
        let id = made["id"].as_str().unwrap();
        app.call(
            "DELETE",
            &format!("/api/v1/auth/api-tokens/{id}"),
            Some(&focal.token),
            None,
        );
        refused(app, &api_token, "a revoked API token");

        let second = app
            .post_as(
                &focal.token,
                "/api/v1/auth/api-tokens",
                &json!({"name": "script 2"}),
            )
            .json();
        let second = second["token"].as_str().unwrap().to_owned();
        app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", focal.id),
            &json!({"disabled": true}),
        );
        refused(app, &focal.token, "an access token of a disabled user");
        refused(app, &second, "an API token of a disabled user");
    });
}

/// The probe found an expired token accepted for 30 s; the leeway for
/// clock skew is now a few seconds.
#[test]
fn a_token_expired_ten_seconds_ago_is_refused() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let now = chrono::Utc::now().timestamp();
        let stale = with(
            with(claims(&editor, "editor"), "exp", json!(now - 10)),
            "iat",
            json!(now - 610),
        );
        refused(
            app,
            &signed(&with(stale, "nbf", json!(now - 610))),
            "a token expired 10 s ago",
        );
    });
}

/// Signed-in answers are never stored by a cache; anonymous reads of the
/// public catalogue still may be.
#[test]
fn signed_in_answers_are_never_stored() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        for path in ["/api/v1/me", "/api/v1/practices", "/api/v1/annex"] {
            let answer = app.get_as(&editor.token, path);
            assert_eq!(answer.header("cache-control"), Some("no-store"), "{path}");
        }
        let anonymous = app.get("/api/v1/annex");
        assert_ne!(anonymous.header("cache-control"), Some("no-store"));
    });
}
