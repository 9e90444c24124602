//! `/api/v1/compilations`: editors assemble drafts from the accepted
//! practices, review them and publish numbered editions; anyone reads and
//! exports the editions. A draft does not exist for anyone but editors.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ListQuery;
use super::pagination;
use super::shapes::EntityTags;
use crate::auth::{authorize, sees_editorial_work, Action, Caller};
use crate::domain::clock;
use crate::domain::compilation::Compilation;
use crate::domain::compilation::CompilationStatus;
use crate::domain::compilation::{Drift, Entry, Scope};
use crate::domain::entities::EntityType;
use crate::domain::Language;
use crate::error::AppError;
use crate::http::conditional;
use crate::http::extract::{double_option, if_match_version, ApiQuery, JsonBody};
use crate::http::{Answer, AppState, IdPath, State};
use crate::publish::edition::{self, Format, Reading};
use crate::service::compilations::{self as editions, Changes, NewCompilation};
use crate::service::views::etag;

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompilationStatusView {
    Draft,
    Published,
}

/// A compilation without its entries.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompilationView {
    pub id: String,
    /// `2027/1`: the year of publication and the edition's rank in it;
    /// null for a draft.
    #[schema(example = "2027/1")]
    pub number: Option<String>,
    pub title: String,
    pub status: CompilationStatusView,
    pub scope: Scope,
    /// Markdown.
    pub introduction: Option<String>,
    /// Null for a draft.
    pub published_at: Option<DateTime<Utc>>,
    /// How many entries it holds (a practice stands once under each of its items).
    pub entries_count: i64,
    /// Counts every change; the ETag is `"v<version>"`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    /// The last change of any kind.
    pub updated_at: DateTime<Utc>,
    /// When the entries were last gathered from the catalogue.
    pub assembled_at: DateTime<Utc>,
    /// Practices the editors left out.
    pub excluded_practices: Vec<String>,
    /// Practices in scope that have no annex item to stand under: tag
    /// them, then reassemble.
    pub untagged_practices: Vec<String>,
}

impl CompilationView {
    pub fn new(c: &Compilation) -> CompilationView {
        CompilationView {
            id: c.id.clone(),
            number: c.number.map(|n| n.to_string()),
            title: c.title.clone(),
            status: match c.status {
                CompilationStatus::Draft => CompilationStatusView::Draft,
                CompilationStatus::Published => CompilationStatusView::Published,
            },
            scope: c.scope.clone(),
            introduction: c.introduction.clone(),
            published_at: c.published_at,
            entries_count: c.entries_count,
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
            assembled_at: c.assembled_at,
            excluded_practices: c.excluded.iter().cloned().collect(),
            untagged_practices: c.untagged.clone(),
        }
    }
}

/// A practice in a compilation, with its source.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryView {
    /// 1, 2, 3… in the compilation's order.
    pub position: i64,
    /// The section and annex item it stands under.
    #[schema(example = "E")]
    pub section: String,
    #[schema(example = 11)]
    pub item: u8,
    pub practice_id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// All its annex items.
    pub items: Vec<u8>,
    /// The Member State or organisation that shared it (its code).
    pub entity: String,
    pub entity_name: String,
    pub entity_type: EntityType,
    /// The language it was written in.
    pub language: Language,
    /// When `title` and `body` are its courtesy translation into the
    /// language the export was asked in: that language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<Language>,
    /// The submission, and the version of it that was accepted: the citation.
    pub submission_id: String,
    pub submission_version: i64,
    /// When the Secretariat received the submission.
    pub received_at: DateTime<Utc>,
    /// When an editor accepted it.
    pub accepted_at: DateTime<Utc>,
}

impl EntryView {
    fn new(entry: &Entry) -> EntryView {
        EntryView::read(&Reading::english(), entry)
    }

    /// The entry as `reading` shows it: in its translation into the
    /// reading's language where it has one, its entity named in it.
    fn read(reading: &Reading<'_>, entry: &Entry) -> EntryView {
        let source = &entry.source;
        let text = reading.text(entry);
        EntryView {
            position: entry.position,
            section: entry.section().to_string(),
            item: entry.item.number(),
            practice_id: source.practice_id.clone(),
            title: text.title.to_owned(),
            body: text.body.to_owned(),
            items: source.items.iter().map(|i| i.number()).collect(),
            entity: source.entity.clone(),
            entity_name: reading.entity_name(entry).to_owned(),
            entity_type: source.entity_type,
            language: source.language,
            translation: text.translated_by.map(|_| text.language),
            submission_id: source.submission_id.clone(),
            submission_version: source.submission_version,
            received_at: source.received_at,
            accepted_at: source.accepted_at,
        }
    }
}

/// A compilation with its entries: for an edition, the frozen snapshot
/// (the JSON export is exactly this).
#[derive(Debug, Serialize, ToSchema)]
pub struct CompilationDetail {
    #[serde(flatten)]
    pub compilation: CompilationView,
    /// For a draft read by an editor: what reassembling now would change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes_since_assembly: Option<Drift>,
    pub entries: Vec<EntryView>,
}

impl CompilationDetail {
    fn new(compilation: &Compilation, entries: &[Entry], drift: Option<Drift>) -> Self {
        CompilationDetail {
            compilation: CompilationView::new(compilation),
            changes_since_assembly: drift,
            entries: entries.iter().map(EntryView::new).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompilationList {
    items: Vec<CompilationView>,
    next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCompilationRequest {
    #[schema(
        example = "Compilation of best practices, 2026",
        min_length = 1,
        max_length = 300,
        pattern = r"\S"
    )]
    title: String,
    /// Which accepted practices it gathers; `{}` for all.
    #[serde(default, deserialize_with = "crate::json::object")]
    scope: Scope,
    /// Markdown.
    #[schema(max_length = 20_000)]
    introduction: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompilationChanges {
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    title: Option<String>,
    /// Markdown; null removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 20_000)]
    introduction: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::json::optional_object")]
    scope: Option<Scope>,
    /// Practices to leave out, replacing the present list.
    #[schema(max_items = 10_000)]
    excluded_practices: Option<Vec<String>>,
}

fn answer(status: StatusCode, compilation: &Compilation, entries: &[Entry]) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response.insert_header((header::ETAG, etag(compilation.version)));
    if status == StatusCode::CREATED {
        response.insert_header((
            header::LOCATION,
            format!("/api/v1/compilations/{}", compilation.id),
        ));
    }
    response.json(CompilationDetail::new(compilation, entries, None))
}

/// The compilation if the caller may see it: editions for anyone, drafts
/// for editors only.
async fn visible(
    state: &AppState,
    caller: &Caller,
    id: String,
) -> Result<(Compilation, Vec<Entry>, Option<Drift>), AppError> {
    let drafts = sees_editorial_work(caller);
    state
        .store
        .run(move |c| {
            let (compilation, entries) = editions::visible(c, &id, drafts)?;
            let drift = match compilation.status {
                CompilationStatus::Draft => Some(editions::drift(c, &compilation)?),
                CompilationStatus::Published => None,
            };
            Ok((compilation, entries, drift))
        })
        .await
}

/// Starts a draft compilation, assembled from the accepted practices in
/// its scope: section → item → contributor (Member States alphabetically,
/// then observer States, then organisations).
#[utoipa::path(
    post, path = "/api/v1/compilations", tag = "compilations", request_body = NewCompilationRequest, security(("bearer" = [])),
    responses((status = 201, description = "The draft, with its entries", body = CompilationDetail, headers(("Location" = String), ("ETag" = String))), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "Not an editor"), (status = 422, description = "A title or scope that breaks a rule"))
)]
pub async fn create_compilation(state: State, caller: Caller, body: JsonBody) -> Answer {
    let editor = authorize(&caller, Action::ManageCompilations)?.clone();
    let request: NewCompilationRequest = body.parse()?;
    let new = NewCompilation {
        title: request.title,
        introduction: request.introduction,
        scope: request.scope,
    };
    let (compilation, entries) = state
        .store
        .run(move |c| editions::create(c, &editor.actor(), new, clock::now()))
        .await?;
    Ok(answer(StatusCode::CREATED, &compilation, &entries))
}

/// The published editions, oldest first; editors also see drafts.
#[utoipa::path(
    get, path = "/api/v1/compilations", tag = "compilations", params(ListQuery), security((), ("bearer" = [])),
    responses((status = 200, description = "A page of compilations", body = CompilationList), (status = 401, description = "A token was sent and is not valid (readers need none)"), (status = 400, description = "Bad limit or cursor"))
)]
pub async fn list_compilations(
    state: State,
    caller: Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Answer {
    let drafts = sees_editorial_work(&caller);
    let (found, next_cursor) = pagination::fetch(
        &state,
        query.page()?,
        move |c, page| editions::list(c, drafts, page),
        |c| &c.id,
    )
    .await?;
    Ok(HttpResponse::Ok().json(CompilationList {
        items: found.iter().map(CompilationView::new).collect(),
        next_cursor,
    }))
}

/// A compilation with its entries. For a draft, editors also see what
/// reassembling now would change.
#[utoipa::path(
    get, path = "/api/v1/compilations/{id}", tag = "compilations", params(("id" = String, Path, description = "The compilation's id")), security((), ("bearer" = [])),
    responses((status = 200, description = "The compilation and its entries", body = CompilationDetail, headers(("ETag" = String))), (status = 401, description = "A token was sent and is not valid (readers need none)"), (status = 404, description = "No such compilation (or a draft, to anyone but editors)"))
)]
pub async fn get_compilation(state: State, caller: Caller, path: IdPath) -> Answer {
    let (compilation, entries, drift) = visible(&state, &caller, path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(compilation.version)))
        .json(CompilationDetail::new(&compilation, &entries, drift)))
}

/// Changes a draft and reassembles it from the catalogue as it is now.
/// `If-Match` is honoured when sent.
#[utoipa::path(
    put, path = "/api/v1/compilations/{id}", tag = "compilations", request_body = CompilationChanges, params( ("id" = String, Path, description = "The compilation's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version being changed"), ), security(("bearer" = [])),
    responses((status = 200, description = "The draft, reassembled", body = CompilationDetail, headers(("ETag" = String))), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "Not an editor"), (status = 404, description = "No such compilation"), (status = 409, description = "Published: an edition never changes"), (status = 412, description = "If-Match names another version"), (status = 422, description = "A title or scope that breaks a rule"))
)]
pub async fn update_compilation(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: IdPath,
    body: JsonBody,
) -> Answer {
    let editor = authorize(&caller, Action::ManageCompilations)?.clone();
    // What was sent is checked before whether it was sent in time.
    let patch: CompilationChanges = body.parse()?;
    let expected = if_match_version(&request)?.flatten();
    let changes = Changes {
        title: patch.title,
        introduction: patch.introduction,
        scope: patch.scope,
        excluded: patch.excluded_practices,
    };
    let id = path.into_inner();
    let (compilation, entries) = state
        .store
        .run(move |c| editions::update(c, &editor.actor(), &id, expected, changes, clock::now()))
        .await?;
    Ok(answer(StatusCode::OK, &compilation, &entries))
}

/// Publishes a draft as the year's next numbered edition: its entries are
/// gathered once more and frozen; nothing about it changes afterwards.
#[utoipa::path(
    post, path = "/api/v1/compilations/{id}/publish", tag = "compilations", params( ("id" = String, Path, description = "The compilation's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version reviewed"), ), security(("bearer" = [])),
    responses((status = 200, description = "The edition", body = CompilationDetail, headers(("ETag" = String))), (status = 401, description = "No valid token"), (status = 403, description = "Not an editor"), (status = 404, description = "No such compilation"), (status = 400, description = "If-Match is not * or a list of entity tags"), (status = 409, description = "Already published, or nothing in its scope to publish"), (status = 412, description = "If-Match names another version"))
)]
pub async fn publish_compilation(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: IdPath,
) -> Answer {
    let editor = authorize(&caller, Action::ManageCompilations)?.clone();
    let expected = if_match_version(&request)?.flatten();
    let id = path.into_inner();
    let (compilation, entries) = state
        .store
        .run(move |c| editions::publish(c, &editor.actor(), &id, expected, clock::now()))
        .await?;
    Ok(answer(StatusCode::OK, &compilation, &entries))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    #[param(value_type = Format)]
    format: String,
    /// The language to read it in: labels, the annex and the entities'
    /// names in it, and each entry in its courtesy translation into it
    /// where the practice has one (default English).
    lang: Option<Language>,
}

use crate::http::headers::EXPORT_POLICY;

/// The whole compilation in one format. The same edition gives the same
/// bytes every time, with a strong ETag of them.
#[utoipa::path(
    get, path = "/api/v1/compilations/{id}/export", tag = "compilations", params(("id" = String, Path, description = "The compilation's id"), ExportQuery), security((), ("bearer" = [])),
    responses((status = 200, description = "json: the snapshot (CompilationDetail); html: a standalone, print-ready document; md: Markdown; csv: one row per entry; docx: a Word document (A4, Title and Heading 1-3 styles, a table of contents field, page numbers)", content( (CompilationDetail = "application/json"), (String = "text/html"), (String = "text/markdown"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ), headers(("ETag" = String), ("Content-Disposition" = String))), (status = 304, description = "Unchanged since the ETag sent in If-None-Match"), (status = 401, description = "A token was sent and is not valid (readers need none)"), (status = 400, description = "An unknown format"), (status = 404, description = "No such compilation (or a draft, to anyone but editors)"))
)]
pub async fn export_compilation(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: IdPath,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> Answer {
    let format = Format::parse(&query.format)
        .ok_or_else(|| AppError::invalid_field("format", "use json, html, md, csv or docx"))?;
    let id = path.into_inner();
    let drafts = sees_editorial_work(&caller);
    let public_url = state.settings.http.public_url.clone();
    let language = query.lang.unwrap_or(Language::En);
    let (compilation, body) = state
        .store
        .run(move |c| {
            let (compilation, entries) = editions::visible(c, &id, drafts)?;
            let translations = editions::translations_of(c, &entries, language)?;
            let reading = Reading::new(language, &translations);
            let body = match format {
                Format::Json => serde_json::to_vec_pretty(&CompilationDetail {
                    compilation: CompilationView::new(&compilation),
                    changes_since_assembly: None,
                    entries: entries
                        .iter()
                        .map(|e| EntryView::read(&reading, e))
                        .collect(),
                })
                .map_err(AppError::internal)?,
                Format::Html => {
                    edition::html::document(&reading, &compilation, &entries, &public_url)
                        .into_bytes()
                }
                Format::Markdown => {
                    edition::markdown::document(&reading, &compilation, &entries).into_bytes()
                }
                Format::Csv => {
                    let number = compilation.number.map(|n| n.to_string());
                    edition::csv::document(&reading, number, &entries).into_bytes()
                }
                Format::Docx => edition::docx::document(&reading, &compilation, &entries)
                    .map_err(AppError::internal)?,
            };
            Ok((compilation, body))
        })
        .await?;
    let cache = match compilation.status {
        CompilationStatus::Published => "public, max-age=86400",
        CompilationStatus::Draft => "private, no-cache",
    };
    let mut response = conditional::document(&request, body, format.content_type(), cache);
    if response.status() == StatusCode::OK {
        let disposition = if format == Format::Html {
            "inline"
        } else {
            "attachment"
        };
        let headers = response.headers_mut();
        let name = format!(
            "{disposition}; filename=\"{}\"",
            edition::file_name(&compilation, format)
        );
        if let Ok(value) = HeaderValue::from_str(&name) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        if format == Format::Html {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(EXPORT_POLICY),
            );
        }
    }
    Ok(response)
}
