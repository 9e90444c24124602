//! `/api/v1/tagging`: annex-item suggestions for any text, and how often
//! editors kept the suggestions they were shown.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{authorize, Action, Caller};
use crate::domain::submission::{body, text, MAX_TITLE_CHARS};
use crate::domain::suggestion::Suggestion;
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::http::extract::{ApiQuery, JsonBody};
use crate::http::{Answer, State};
use crate::service::tagging_stats;
use crate::tagging::stats::TaggingStats;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestRequest {
    #[schema(
        example = "National CSIRT",
        min_length = 1,
        max_length = 300,
        pattern = r"\S"
    )]
    title: String,
    /// Markdown, as a practice's body.
    #[schema(
        example = "Our national computer incident response team protects government networks.",
        min_length = 1,
        max_length = 100_000,
        pattern = r"\S"
    )]
    body: String,
    /// The language of the text.
    #[schema(value_type = Language, example = "en")]
    language: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// The language to name the suggestions' concepts in (default: the
    /// text's).
    lang: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestAnswer {
    /// Best first; at most five; empty when the text names no annex concept.
    suggestions: Vec<Suggestion>,
}

/// Annex items for a text, as a practice saved with it would get them.
#[utoipa::path(
    post, path = "/api/v1/tagging/suggest", tag = "tagging", request_body = SuggestRequest, params(SuggestQuery), security(("bearer" = [])),
    responses((status = 200, description = "The suggested items, each with its score and reasons", body = SuggestAnswer), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 422, description = "An empty title or body, or an unknown language (each field named)"))
)]
pub async fn suggest(
    state: State,
    caller: Caller,
    ApiQuery(query): ApiQuery<SuggestQuery>,
    request: JsonBody,
) -> Answer {
    authorize(&caller, Action::SuggestItems)?;
    let request: SuggestRequest = request.parse()?;
    let mut errors = Vec::new();
    let title = text("title", &request.title, MAX_TITLE_CHARS, &mut errors);
    let body = body("body", &request.body, &mut errors);
    let language = request
        .language
        .parse::<Language>()
        .map_err(|e| errors.push(FieldError::new("language", e.to_string())))
        .ok();
    let Some(language) = language.filter(|_| errors.is_empty()) else {
        return Err(AppError::unprocessable(errors));
    };
    let tagger = state.tagger.clone();
    // Analysing up to 100 KiB of text is real work: off the executor.
    let suggestions = web::block(move || tagger.suggest(language, &title, &body))
        .await
        .map_err(|e| AppError::internal(format!("suggesting: {e}")))?;
    let named_in = query.lang.unwrap_or(language);
    let suggestions = suggestions
        .into_iter()
        .map(|s| s.in_language(named_in))
        .collect();
    Ok(HttpResponse::Ok().json(SuggestAnswer { suggestions }))
}

/// How often editors kept the top suggestion of the practices they accepted
/// (editors and admins).
#[utoipa::path(
    get, path = "/api/v1/tagging/stats", tag = "tagging", security(("bearer" = [])),
    responses((status = 200, description = "Acceptance of suggestions, overall and per language", body = TaggingStats), (status = 401, description = "No valid token"), (status = 403, description = "Not an editor"))
)]
pub async fn tagging_stats(state: State, caller: Caller) -> Answer {
    authorize(&caller, Action::ReadTaggingStats)?;
    let learned_from = state.tagger.model().examples();
    let stats = state
        .store
        .run(move |c| tagging_stats::measure(c, learned_from))
        .await?;
    Ok(HttpResponse::Ok().json(stats))
}
