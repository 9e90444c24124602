//! The OpenAPI document, collected from the handlers' annotations. The
//! committed copy in `openapi/openapi.json` is checked against it by the
//! test suite; `compendium openapi > openapi/openapi.json` regenerates it.

use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

use super::problems::{operations, ProblemBodies};
use super::shapes::{DateOrTime, EntityTags, IdCursor, IdempotencyKey, SearchCursor, StatusList};
use super::users::BindingRule;
use super::{
    annex, assessments, auth, catalogue, compilations, coverage, entities, health, outbox,
    practices, submissions, subscriptions, tagging, translations, users,
};
use crate::domain::account::Role;
use crate::domain::annex::{AnnexItem, SectionId};
use crate::domain::entities::{Entity, EntityCode, EntityType, Region, RegionalGroup};
use crate::domain::outbox::MailStatus;
use crate::domain::submission::Sector;
use crate::domain::workflow::Status;
use crate::domain::Language;
use crate::error::{FieldError, Problem};
use crate::publish::edition::Format as ExportFormat;
use crate::search::engine::Sort;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Compendium",
        description = "Best practices and measures for cybersecurity and the protection of critical information infrastructures, sent to the UN Secretary-General under General Assembly resolution 64/211, curated, tagged by the items of the resolution's annex, and compiled for dissemination to Member States.\n\nEvery error is `application/problem+json` (RFC 9457) with a stable `type` URN.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        annex::get_annex,
        entities::list_entities,
        entities::add_organisation,
        auth::issue_token,
        auth::create_api_token,
        auth::list_api_tokens,
        auth::revoke_api_token,
        auth::me,
        auth::update_me,
        auth::change_password,
        auth::request_password_reset,
        users::create_user,
        users::list_users,
        users::get_user,
        users::update_user,
        submissions::create_submission,
        submissions::list_submissions,
        submissions::get_submission,
        submissions::update_submission,
        submissions::submit,
        submissions::withdraw,
        submissions::revise,
        assessments::create_assessment,
        assessments::list_assessments,
        assessments::get_assessment,
        assessments::answer_assessment,
        assessments::complete,
        assessments::share,
        assessments::unshare,
        assessments::list_events,
        assessments::get_gaps,
        assessments::compare,
        assessments::draft_from_item,
        assessments::export_assessment,
        assessments::get_stock,
        submissions::request_changes,
        submissions::accept,
        submissions::reject,
        submissions::list_versions,
        submissions::get_version,
        submissions::list_events,
        submissions::get_diff,
        catalogue::search_practices,
        catalogue::export_csv,
        practices::get_practice,
        practices::curate_practice,
        practices::withdraw_practice,
        translations::put_translation,
        translations::delete_translation,
        tagging::suggest,
        tagging::tagging_stats,
        subscriptions::subscribe,
        outbox::list_outbox,
        outbox::retry_mail,
        coverage::get_coverage,
        coverage::get_coverage_csv,
        compilations::create_compilation,
        compilations::list_compilations,
        compilations::get_compilation,
        compilations::update_compilation,
        compilations::publish_compilation,
        compilations::export_compilation,
        health::healthz,
        health::readyz,
        health::metrics,
    ),
    components(schemas(
        Problem, FieldError, Language, Entity, EntityType, Region, RegionalGroup, Role, Status, Sector,
        AnnexItem, EntityCode, SectionId, Sort, ExportFormat, assessments::AssessmentFormat, MailStatus,
        IdCursor, SearchCursor, DateOrTime, EntityTags, IdempotencyKey, StatusList,
    )),
    modifiers(&BearerScheme, &ProblemBodies, &ParametersAreNeverNull, &BindingRule, &PlainText, &NotBlank, &Links),
    tags(
        (name = "identity", description = "Accounts, sign-in and tokens"),
        (name = "submissions", description = "Best practices sent by Member States and organisations, and their review"),
        (name = "assessments", description = "Member States' voluntary self-assessments against the annex (operative paragraph 1), private to each State until it shares one"),
        (name = "catalogue", description = "The accepted practices, public"),
        (name = "tagging", description = "Annex-item suggestions, explained, and how editors received them"),
        (name = "dissemination", description = "Subscriptions to the compilations by mail"),
        (name = "compilations", description = "Numbered editions of the accepted practices, assembled and published by editors"),
        (name = "reference", description = "The annex of the resolution and the entities that may contribute"),
        (name = "operations", description = "Probes and metrics"),
    )
)]
pub struct ApiDoc;

/// The `bearer` scheme: an access token from `POST /api/v1/auth/token` or
/// an API token from `POST /api/v1/auth/api-tokens`, as a JWT.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token (POST /api/v1/auth/token) or an API token (POST /api/v1/auth/api-tokens)"))
                    .build(),
            ),
        );
    }
}

/// utoipa writes an optional parameter or request body of a named schema
/// as `oneOf: [schema, null]`, but a parameter is text or absent and an
/// optional body is an object or absent, never JSON `null`; the
/// alternative would invite clients to send `null`.
struct ParametersAreNeverNull;

impl Modify for ParametersAreNeverNull {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for operation in operations(openapi) {
            let parameters = operation.parameters.iter_mut().flatten();
            for parameter in parameters.filter_map(|p| match p {
                RefOr::T(parameter) => Some(parameter),
                RefOr::Ref(_) => None,
            }) {
                drop_null(&mut parameter.schema);
            }
            let bodies = operation.request_body.iter_mut();
            for content in bodies.flat_map(|body| match body {
                RefOr::T(body) => body.content.values_mut().collect(),
                RefOr::Ref(_) => Vec::new(),
            }) {
                if let RefOr::T(content) = content {
                    drop_null(&mut content.schema);
                }
            }
        }
    }
}

/// `oneOf: [schema, null]` becomes `schema`.
fn drop_null(schema: &mut Option<RefOr<Schema>>) {
    if let Some(RefOr::T(Schema::OneOf(one_of))) = schema {
        let not_null: Vec<_> = one_of
            .items
            .iter()
            .filter(|s| !is_null(s))
            .cloned()
            .collect();
        if let [only] = not_null.as_slice() {
            *schema = Some(only.clone());
        }
    }
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(object))
        if object.schema_type == SchemaType::Type(Type::Null))
}

/// Annotations write "not blank" as the pattern `\S`; the server trims
/// with Rust's idea of whitespace, which is not ECMAScript's. This writes
/// the exact class ([`crate::domain::NOT_BLANK`]) in their place, so that
/// what the document calls valid is what the server accepts.
struct NotBlank;

impl Modify for NotBlank {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        fn rewrite(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, value) in map.iter_mut() {
                        if key == "pattern" && value == r"\S" {
                            *value = crate::domain::NOT_BLANK.into();
                        } else {
                            rewrite(value);
                        }
                    }
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(rewrite),
                _ => {}
            }
        }
        let Ok(mut document) = serde_json::to_value(&*openapi) else {
            return;
        };
        rewrite(&mut document);
        if let Ok(exact) = serde_json::from_value(document) {
            *openapi = exact;
        }
    }
}

/// Every free text field of what a request sends says what it may hold,
/// as the server checks it (`domain::text`): no control character, and
/// for a one-line field (a title, a name) no line break or bidi override
/// either; a field that must not be blank says that too, in the same
/// pattern. Passwords are secrets, compared whole: they hold what they
/// hold. Answers are left as they are: they quote what was sent.
struct PlainText;

impl PlainText {
    fn is_free_text(schema: &serde_json::Map<String, serde_json::Value>) -> bool {
        let string = match schema.get("type") {
            Some(serde_json::Value::String(t)) => t == "string",
            Some(serde_json::Value::Array(types)) => types.iter().any(|t| t == "string"),
            _ => false,
        };
        let shaped = schema.contains_key("format")
            || schema.contains_key("enum")
            || schema.get("pattern").is_some_and(|p| p != r"\S");
        string && !shaped
    }

    /// Patterns the free text properties of every object under `value`.
    fn rewrite(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(properties)) = map.get_mut("properties") {
                    for (name, property) in properties.iter_mut() {
                        let serde_json::Value::Object(schema) = property else {
                            continue;
                        };
                        if !Self::is_free_text(schema) || name.ends_with("password") {
                            continue;
                        }
                        let one_line = name == "title" || name == "name";
                        let not_blank = schema.get("pattern").map(|_| {
                            let blanks = crate::domain::NOT_BLANK;
                            &blanks[2..blanks.len() - 1]
                        });
                        let pattern = crate::domain::text::pattern(one_line, not_blank);
                        schema.insert("pattern".to_owned(), pattern.into());
                    }
                }
                map.values_mut().for_each(Self::rewrite);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(Self::rewrite),
            _ => {}
        }
    }

    /// The component schemas `value` names, as `#/components/schemas/X`.
    fn references(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                    if let Some(name) = target.strip_prefix("#/components/schemas/") {
                        found.push(name.to_owned());
                    }
                }
                map.values().for_each(|v| Self::references(v, found));
            }
            serde_json::Value::Array(items) => {
                items.iter().for_each(|v| Self::references(v, found))
            }
            _ => {}
        }
    }
}

impl Modify for PlainText {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Ok(mut document) = serde_json::to_value(&*openapi) else {
            return;
        };
        // What requests send: their bodies, and every schema they name.
        let mut pending = Vec::new();
        if let Some(serde_json::Value::Object(paths)) = document.get_mut("paths") {
            for operation in paths.values_mut().filter_map(|item| item.as_object_mut()) {
                for body in operation
                    .values_mut()
                    .filter_map(|op| op.get_mut("requestBody"))
                {
                    Self::references(body, &mut pending);
                    Self::rewrite(body);
                }
            }
        }
        let mut sent = std::collections::BTreeSet::new();
        while let Some(name) = pending.pop() {
            if sent.insert(name.clone()) {
                if let Some(schema) = document.pointer(&format!("/components/schemas/{name}")) {
                    Self::references(schema, &mut pending);
                }
            }
        }
        for name in &sent {
            if let Some(schema) = document.pointer_mut(&format!("/components/schemas/{name}")) {
                Self::rewrite(schema);
            }
        }
        if let Ok(exact) = serde_json::from_value(document) {
            *openapi = exact;
        }
    }
}

/// How an answer leads to the next request (OpenAPI links): the ids a list
/// or a creation returns are the ids of the operations on that item, and a
/// creation's ETag is the If-Match of its first change. Clients (and
/// Schemathesis's stateful phase) follow them.
struct Links;

/// `(method, path, status, [(link name, operation id, [(parameter, runtime expression)])])`.
type LinkTable = [(
    &'static str,
    &'static str,
    &'static str,
    &'static [(
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    )],
)];

const FIRST_ITEM: &str = "$response.body#/items/0/id";
const CREATED: &str = "$response.body#/id";
const ETAG: &str = "$response.header.ETag";

const LINKS: &LinkTable = &[
    (
        "get",
        "/api/v1/practices",
        "200",
        &[
            ("GetPractice", "get_practice", &[("id", FIRST_ITEM)]),
            ("CuratePractice", "curate_practice", &[("id", FIRST_ITEM)]),
        ],
    ),
    (
        "get",
        "/api/v1/outbox",
        "200",
        &[("RetryMail", "retry_mail", &[("id", FIRST_ITEM)])],
    ),
    (
        "get",
        "/api/v1/submissions",
        "200",
        &[
            ("GetSubmission", "get_submission", &[("id", FIRST_ITEM)]),
            ("Accept", "accept", &[("id", FIRST_ITEM)]),
            (
                "GetVersion",
                "get_version",
                &[("id", FIRST_ITEM), ("n", "$response.body#/items/0/version")],
            ),
        ],
    ),
    (
        "post",
        "/api/v1/submissions",
        "201",
        &[
            ("GetSubmission", "get_submission", &[("id", CREATED)]),
            (
                "UpdateSubmission",
                "update_submission",
                &[("id", CREATED), ("header.If-Match", ETAG)],
            ),
            ("Submit", "submit", &[("id", CREATED)]),
            ("Withdraw", "withdraw", &[("id", CREATED)]),
            ("ListVersions", "list_versions", &[("id", CREATED)]),
            (
                "GetVersion",
                "get_version",
                &[("id", CREATED), ("n", "$response.body#/version")],
            ),
            ("ListEvents", "list_events", &[("id", CREATED)]),
            ("GetDiff", "get_diff", &[("id", CREATED)]),
        ],
    ),
    (
        "post",
        "/api/v1/submissions/{id}/submit",
        "200",
        &[
            ("Accept", "accept", &[("id", CREATED)]),
            ("Reject", "reject", &[("id", CREATED)]),
            ("RequestChanges", "request_changes", &[("id", CREATED)]),
        ],
    ),
    (
        "post",
        "/api/v1/compilations",
        "201",
        &[
            ("GetCompilation", "get_compilation", &[("id", CREATED)]),
            (
                "UpdateCompilation",
                "update_compilation",
                &[("id", CREATED), ("header.If-Match", ETAG)],
            ),
            (
                "PublishCompilation",
                "publish_compilation",
                &[("id", CREATED), ("header.If-Match", ETAG)],
            ),
            (
                "ExportCompilation",
                "export_compilation",
                &[("id", CREATED)],
            ),
        ],
    ),
    (
        "post",
        "/api/v1/users",
        "201",
        &[
            ("GetUser", "get_user", &[("id", CREATED)]),
            ("UpdateUser", "update_user", &[("id", CREATED)]),
        ],
    ),
    (
        "post",
        "/api/v1/auth/api-tokens",
        "201",
        &[("RevokeApiToken", "revoke_api_token", &[("id", CREATED)])],
    ),
];

impl Modify for Links {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (method, path, status, links) in LINKS {
            let Some(item) = openapi.paths.paths.get_mut(*path) else {
                continue;
            };
            let operation = match *method {
                "get" => item.get.as_mut(),
                "post" => item.post.as_mut(),
                _ => None,
            };
            let Some(RefOr::T(response)) =
                operation.and_then(|o| o.responses.responses.get_mut(*status))
            else {
                continue;
            };
            for (name, operation_id, parameters) in links.iter() {
                let link = parameters.iter().fold(
                    utoipa::openapi::link::LinkBuilder::new().operation_id(*operation_id),
                    |link, (parameter, expression)| link.parameter(*parameter, *expression),
                );
                response
                    .links
                    .insert((*name).to_owned(), RefOr::T(link.build()));
            }
        }
    }
}

/// The methods the document gives the path that `path` matches
/// (`GET, PUT`), for the `Allow` header of a 405.
pub fn allowed_methods(path: &str) -> Option<String> {
    static ROUTES: std::sync::OnceLock<Vec<(Vec<String>, String)>> = std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| {
        ApiDoc::openapi()
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template.split('/').map(str::to_owned).collect();
                let methods: Vec<&str> = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(name, present)| present.then_some(name))
                .collect();
                (segments, methods.join(", "))
            })
            .collect()
    });
    let wanted: Vec<&str> = path.split('/').collect();
    routes
        .iter()
        .find(|(template, _)| {
            template.len() == wanted.len()
                && template.iter().zip(&wanted).all(|(t, w)| {
                    t == w || (t.starts_with('{') && t.ends_with('}') && !w.is_empty())
                })
        })
        .map(|(_, methods)| methods.clone())
}

/// The document as committed: pretty JSON with a final newline.
pub fn document_json() -> String {
    let mut json = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes");
    json.push('\n');
    json
}
