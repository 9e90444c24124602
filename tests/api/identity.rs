//! Accounts, sign-in, API tokens and what administrators may change.

use compendium::domain::account::Role;
use compendium::store::{audit, Store};
use serde_json::json;

use crate::helpers::{each_backend, error_fields, TestApp, PASSWORD};

#[test]
fn signing_in_gives_a_short_lived_bearer_token_for_me() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let answer = app.post_json(
            "/api/v1/auth/token",
            &json!({"email": focal.email.to_uppercase(), "password": PASSWORD}),
        );
        assert_eq!(
            answer.status, 200,
            "emails compare without case: {}",
            answer.body
        );
        assert_eq!(answer.header("cache-control"), Some("no-store"));
        let body = answer.json();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 15 * 60);

        let me = app.get_as(body["access_token"].as_str().unwrap(), "/api/v1/me");
        assert_eq!(me.status, 200, "{}", me.body);
        let me = me.json();
        assert_eq!(me["id"], focal.id.as_str());
        assert_eq!(me["role"], "focal_point");
        assert_eq!(me["entity"], "FRA");
        assert!(me.get("password_hash").is_none() && !me.to_string().contains("argon2"));
    });
}

#[test]
fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let wrong = app.post_json(
            "/api/v1/auth/token",
            &json!({"email": editor.email, "password": "not the password"}),
        );
        let unknown = app.post_json(
            "/api/v1/auth/token",
            &json!({"email": "nobody@example.org", "password": PASSWORD}),
        );
        let (wrong, unknown) = (wrong.problem(401), unknown.problem(401));
        assert_eq!(wrong["detail"], unknown["detail"]);
        assert_eq!(wrong["type"], unknown["type"]);
    });
}

#[test]
fn repeated_failed_sign_ins_are_refused_with_retry_after() {
    for backend in crate::helpers::backends() {
        let app = TestApp::spawn_with(backend, |s| s.auth.login_attempts_per_minute = 3);
        let editor = app.user(Role::Editor, None);
        for _ in 0..3 {
            app.post_json(
                "/api/v1/auth/token",
                &json!({"email": editor.email, "password": "wrong password"}),
            )
            .problem(401);
        }
        let limited = app.post_json(
            "/api/v1/auth/token",
            &json!({"email": editor.email, "password": PASSWORD}),
        );
        limited.problem(429);
        let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry_after), "{retry_after}");
        // The client address is limited too, whatever account it tries.
        app.post_json(
            "/api/v1/auth/token",
            &json!({"email": "other@example.org", "password": PASSWORD}),
        )
        .problem(429);
    }
}

#[test]
fn api_tokens_are_made_listed_used_and_revoked_at_once() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let made = app.post_as(
            &focal.token,
            "/api/v1/auth/api-tokens",
            &json!({"name": "nightly upload"}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
        let made = made.json();
        let api_token = made["token"].as_str().unwrap().to_owned();
        let id = made["id"].as_str().unwrap().to_owned();

        let me = app.get_as(&api_token, "/api/v1/me");
        assert_eq!(me.status, 200, "{}", me.body);
        assert_eq!(me.json()["entity"], "KEN");

        let listed = app.get_as(&focal.token, "/api/v1/auth/api-tokens").json();
        assert_eq!(listed["items"][0]["id"], id.as_str());
        assert_eq!(listed["items"][0]["name"], "nightly upload");
        assert!(
            !listed.to_string().contains(&api_token),
            "a list never shows the secret"
        );
        assert_eq!(listed["next_cursor"], serde_json::Value::Null);

        app.post_as(
            &api_token,
            "/api/v1/auth/api-tokens",
            &json!({"name": "child"}),
        )
        .problem(403);

        let other = app.user(Role::FocalPoint, Some("FRA"));
        app.call(
            "DELETE",
            &format!("/api/v1/auth/api-tokens/{id}"),
            Some(&other.token),
            None,
        )
        .problem(404);
        let revoked = app.call(
            "DELETE",
            &format!("/api/v1/auth/api-tokens/{id}"),
            Some(&focal.token),
            None,
        );
        assert_eq!(revoked.status, 204, "{}", revoked.body);
        app.get_as(&api_token, "/api/v1/me").problem(401);
        let listed = app.get_as(&focal.token, "/api/v1/auth/api-tokens").json();
        assert!(listed["items"][0]["revoked_at"].is_string());
    });
}

#[test]
fn api_token_lifetimes_and_names_are_bounded() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let made = app
            .post_as(
                &editor.token,
                "/api/v1/auth/api-tokens",
                &json!({"name": "ci", "expires_in_days": 730}),
            )
            .json();
        let created =
            chrono::DateTime::parse_from_rfc3339(made["created_at"].as_str().unwrap()).unwrap();
        let expires =
            chrono::DateTime::parse_from_rfc3339(made["expires_at"].as_str().unwrap()).unwrap();
        assert_eq!((expires - created).num_days(), 730);
        let problem = app
            .post_as(
                &editor.token,
                "/api/v1/auth/api-tokens",
                &json!({"name": " ", "expires_in_days": 731}),
            )
            .problem(422);
        let fields = error_fields(&problem);
        assert_eq!(fields, ["name", "expires_in_days"]);
    });
}

#[test]
fn lists_are_paged_with_an_opaque_cursor() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        for _ in 0..3 {
            app.user(Role::Editor, None);
        }
        let first = app.get_as(&admin.token, "/api/v1/users?limit=2").json();
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = app
            .get_as(
                &admin.token,
                &format!("/api/v1/users?limit=2&cursor={cursor}"),
            )
            .json();
        assert_eq!(second["items"].as_array().unwrap().len(), 2);
        assert_eq!(second["next_cursor"], serde_json::Value::Null);
        assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);
        app.get_as(&admin.token, "/api/v1/users?limit=101")
            .problem(400);
        app.get_as(&admin.token, "/api/v1/users?cursor=!!")
            .problem(400);
    });
}

#[test]
fn admins_create_accounts_under_the_binding_rule() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        let created = app.post_as(
            &admin.token,
            "/api/v1/users",
            &json!({"email": "CERT@Gov.KE", "name": "Kenya CERT", "role": "focal_point", "entity": "KEN", "password": PASSWORD}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        let location = created.header("location").unwrap().to_owned();
        let user = created.json();
        assert_eq!(user["email"], "cert@gov.ke");
        assert_eq!(app.get_as(&admin.token, &location).json()["id"], user["id"]);
        assert!(!app.sign_in("cert@gov.ke", PASSWORD).is_empty());

        app.post_as(
            &admin.token,
            "/api/v1/users",
            &json!({"email": "cert@gov.ke", "name": "Again", "role": "editor", "password": PASSWORD}),
        )
        .problem(409);
        let cases = [
            (
                json!({"email": "a@x.org", "name": "A", "role": "focal_point", "password": PASSWORD}),
                "entity",
            ),
            (
                json!({"email": "a@x.org", "name": "A", "role": "editor", "entity": "FRA", "password": PASSWORD}),
                "entity",
            ),
            (
                json!({"email": "a@x.org", "name": "A", "role": "focal_point", "entity": "XYZ", "password": PASSWORD}),
                "entity",
            ),
            (
                json!({"email": "a@x.org", "name": "A", "role": "editor", "password": "short"}),
                "password",
            ),
            (
                json!({"email": "a@x.org", "name": "  ", "role": "editor", "password": PASSWORD}),
                "name",
            ),
        ];
        for (body, field) in cases {
            let problem = app
                .post_as(&admin.token, "/api/v1/users", &body)
                .problem(422);
            assert_eq!(problem["errors"][0]["field"], field, "{body}");
        }
        let problem = app
            .post_as(&admin.token, "/api/v1/users", &json!({"email": "not-an-email", "name": "A", "role": "editor", "password": PASSWORD}))
            .problem(400);
        assert_eq!(problem["errors"][0]["field"], "email");
        app.post_as(
            &admin.token,
            "/api/v1/users",
            &json!({"email": "b@x.org", "name": "B", "role": "root", "password": PASSWORD}),
        )
        .problem(400);
    });
}

#[test]
fn role_changes_and_disabling_take_effect_on_the_next_request() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        let editor = app.user(Role::Editor, None);
        app.get_as(&editor.token, "/api/v1/users").problem(403);

        let promoted = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", editor.id),
            &json!({"role": "admin"}),
        );
        assert_eq!(promoted.status, 200, "{}", promoted.body);
        assert_eq!(
            app.get_as(&editor.token, "/api/v1/users").status,
            200,
            "the same token, the new role"
        );

        let made_focal = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", editor.id),
            &json!({"role": "focal_point", "entity": "BRA"}),
        );
        assert_eq!(made_focal.json()["entity"], "BRA");
        let back = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", editor.id),
            &json!({"role": "editor"}),
        );
        assert_eq!(back.status, 200, "{}", back.body);
        assert!(
            back.json().get("entity").is_none(),
            "a role without an entity drops it"
        );

        let disabled = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", editor.id),
            &json!({"disabled": true}),
        );
        assert_eq!(disabled.json()["disabled"], true);
        app.get_as(&editor.token, "/api/v1/me").problem(401);
        app.post_json(
            "/api/v1/auth/token",
            &json!({"email": editor.email, "password": PASSWORD}),
        )
        .problem(401);

        app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", admin.id),
            &json!({"disabled": true}),
        )
        .problem(409);
        app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", admin.id),
            &json!({"role": "editor"}),
        )
        .problem(409);
        app.patch_as(
            &admin.token,
            "/api/v1/users/no-such-user",
            &json!({"disabled": true}),
        )
        .problem(404);
        // An entity for an editor: the patch is fine, the account is not
        // one that takes an entity (409); a patch that contradicts itself
        // is invalid (422).
        let conflict = app
            .patch_as(
                &admin.token,
                &format!("/api/v1/users/{}", editor.id),
                &json!({"entity": "FRA"}),
            )
            .problem(409);
        assert!(
            conflict["detail"]
                .as_str()
                .unwrap()
                .contains("the account is editor"),
            "{conflict}"
        );
        app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", editor.id),
            &json!({"role": "editor", "entity": "FRA"}),
        )
        .problem(422);
    });
}

#[test]
fn admin_actions_are_audited_with_before_and_after() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        let editor = app.user(Role::Editor, None);
        app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", editor.id),
            &json!({"disabled": true}),
        );
        let organisation = app.post_as(
            &admin.token,
            "/api/v1/entities",
            &json!({"code": "GFCE", "name": "Global Forum on Cyber Expertise", "type": "international_org"}),
        );
        assert_eq!(organisation.status, 201, "{}", organisation.body);

        let store = Store::open(&app.settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        let history = audit::for_target(&mut connection, "user", &editor.id).unwrap();
        let actions: Vec<_> = history.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["user.create", "user.update"]);
        let update = &history[1];
        assert_eq!(update.actor_id.as_deref(), Some(admin.id.as_str()));
        assert_eq!(update.before.as_ref().unwrap()["disabled"], false);
        assert_eq!(update.after.as_ref().unwrap()["disabled"], true);
        let entity = audit::for_target(&mut connection, "entity", "GFCE").unwrap();
        assert_eq!(entity[0].action, "entity.create");
    });
}

#[test]
fn admins_add_organisations_but_not_states_or_taken_codes() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        let added = app.post_as(
            &admin.token,
            "/api/v1/entities",
            &json!({"code": "PIF", "name": "Pacific Islands Forum", "type": "regional_org"}),
        );
        assert_eq!(added.status, 201, "{}", added.body);
        let found = app
            .get("/api/v1/entities?type=regional_org&q=pacific")
            .json();
        assert_eq!(found["items"][0]["code"], "PIF");

        app.post_as(
            &admin.token,
            "/api/v1/entities",
            &json!({"code": "PIF", "name": "Again", "type": "regional_org"}),
        )
        .problem(409);
        app.post_as(
            &admin.token,
            "/api/v1/entities",
            &json!({"code": "AU", "name": "Again", "type": "regional_org"}),
        )
        .problem(409);
        let problem = app
            .post_as(
                &admin.token,
                "/api/v1/entities",
                &json!({"code": "NEW", "name": "Atlantis", "type": "member_state"}),
            )
            .problem(422);
        assert_eq!(problem["errors"][0]["field"], "type");
        let problem = app
            .post_as(
                &admin.token,
                "/api/v1/entities",
                &json!({"code": "bad code", "name": "X", "type": "regional_org"}),
            )
            .problem(400);
        assert_eq!(problem["errors"][0]["field"], "code");
        // A focal point can now be bound to the new organisation.
        let created = app.post_as(
            &admin.token,
            "/api/v1/users",
            &json!({"email": "pif@example.org", "name": "PIF", "role": "focal_point", "entity": "PIF", "password": PASSWORD}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
    });
}
