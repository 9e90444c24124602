//! `/oai`: the catalogue for OAI-PMH harvesters (GET, or POST with a form
//! body, as the protocol allows). Every answer is the protocol's XML with
//! HTTP 200, errors included, as section 3.6 of the protocol says.

use std::collections::HashMap;

use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;

use crate::domain::annex::annex;
use crate::domain::entities::Entity;
use crate::domain::Language;
use crate::error::AppError;
use crate::http::{Answer, State};
use crate::i18n::labels;
use crate::publish::edition::day;
use crate::publish::oai::request::parse;
use crate::publish::oai::token::LIFETIME;
use crate::publish::oai::{
    Body, DublinCore, ErrorCode, Header, Identity, InLanguage, OaiError, OaiRequest, Record,
    Response, Resumption,
};
use crate::service::harvest::{self, Found, Harvested};
use crate::text::markdown::to_plain_text;

/// Identifiers name practices by their id, as the Atom feeds do: the same
/// whatever address the service is reached at.
const IDENTIFIER_PREFIX: &str = "urn:uuid:";

/// `GET /oai` and `POST /oai`.
pub async fn harvest(state: State, request: HttpRequest, body: web::Bytes) -> Answer {
    let arguments: &[u8] = if request.method() == Method::POST {
        &body
    } else {
        request.query_string().as_bytes()
    };
    let pairs = form_urlencoded::parse(arguments)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let now = Utc::now();
    let parsed = parse(pairs, now);
    let public_url = state.settings.http.public_url.clone();
    let base_url = format!("{public_url}/oai");
    let body = match parsed.request {
        Err(error) => Body::Error(error),
        Ok(request) => answer(&state, request, &public_url).await?,
    };
    let xml = Response {
        base_url: &base_url,
        date: now,
        arguments: &parsed.arguments,
        body,
    }
    .render();
    Ok(HttpResponse::Ok()
        .content_type("text/xml; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(xml))
}

fn no_such_record(identifier: &str) -> Body {
    Body::Error(OaiError::new(
        ErrorCode::IdDoesNotExist,
        format!("no practice is known as '{identifier}'"),
    ))
}

async fn answer(state: &State, request: OaiRequest, public_url: &str) -> Result<Body, AppError> {
    let rights = &state.settings.harvest.rights;
    Ok(match request {
        OaiRequest::Identify => {
            let earliest = state.store.run(harvest::earliest_datestamp).await?;
            Body::Identify(Identity {
                repository_name: labels(Language::En).site_name.clone(),
                admin_email: state.settings.mail.from.email.to_string(),
                earliest_datestamp: earliest,
            })
        }
        OaiRequest::ListSets => Body::ListSets,
        OaiRequest::ListMetadataFormats { identifier: None } => Body::ListMetadataFormats,
        OaiRequest::ListMetadataFormats {
            identifier: Some(identifier),
        } => match lookup(state, &identifier).await? {
            None => no_such_record(&identifier),
            Some(_) => Body::ListMetadataFormats,
        },
        OaiRequest::GetRecord { identifier } => match lookup(state, &identifier).await? {
            None => no_such_record(&identifier),
            Some(found) => Body::GetRecord(Box::new(to_record(
                found.record,
                &found.entities,
                public_url,
                rights,
            ))),
        },
        OaiRequest::List { verb, token } => {
            let size = state.settings.harvest.page_size;
            let (selection, after) = (token.selection.clone(), token.after);
            let page = state
                .store
                .run(move |c| harvest::page(c, &selection, after, size))
                .await?;
            if page.records.is_empty() {
                return Ok(Body::Error(OaiError::new(
                    ErrorCode::NoRecordsMatch,
                    "no practice matches these arguments",
                )));
            }
            let expires = Utc::now() + LIFETIME;
            let resumption = match page.continues_after {
                Some(last) => Some(Resumption {
                    token: Some((
                        token.next(last, page.records.len()).encode(expires),
                        expires,
                    )),
                    cursor: token.delivered,
                }),
                // The last page of a list that was continued says so.
                None if token.delivered > 0 => Some(Resumption {
                    token: None,
                    cursor: token.delivered,
                }),
                None => None,
            };
            Body::List {
                verb,
                records: page
                    .records
                    .into_iter()
                    .map(|record| to_record(record, &page.entities, public_url, rights))
                    .collect(),
                resumption,
            }
        }
    })
}

/// The practice an identifier names, if it ever entered the catalogue.
async fn lookup(state: &State, identifier: &str) -> Result<Option<Found>, AppError> {
    let Some(id) = identifier
        .strip_prefix(IDENTIFIER_PREFIX)
        .map(str::to_owned)
    else {
        return Ok(None);
    };
    state.store.run(move |c| harvest::record(c, &id)).await
}

fn to_record(
    harvested: Harvested,
    entities: &HashMap<String, Entity>,
    public_url: &str,
    rights: &str,
) -> Record {
    let header = Header {
        identifier: format!("{IDENTIFIER_PREFIX}{}", harvested.stamp.practice_id),
        datestamp: harvested.stamp.at,
        sets: harvested.sets,
        deleted: harvested.entry.is_none(),
    };
    let metadata = harvested.entry.map(|entry| {
        let language: Option<Language> = entry.language.parse().ok();
        let code = language.map(Language::code);
        let practice = entry.practice;
        let mut titles = vec![InLanguage {
            language: code,
            text: practice.title,
        }];
        titles.extend(entry.translations.iter().map(|t| InLanguage {
            language: Some(t.language.code()),
            text: t.title.clone(),
        }));
        let creator = entities
            .get(&entry.entity)
            .map_or(entry.entity.clone(), |e| {
                e.name_in(language.unwrap_or(Language::En)).to_owned()
            });
        let annex = annex();
        DublinCore {
            titles,
            creator: InLanguage {
                language: code,
                text: creator,
            },
            subjects: practice
                .items
                .iter()
                .map(|&item| {
                    format!(
                        "{}. {}",
                        item.number(),
                        annex.item(item).title.get(Language::En)
                    )
                })
                .collect(),
            description: InLanguage {
                language: code,
                text: to_plain_text(&practice.body),
            },
            publisher: "United Nations Secretariat".to_owned(),
            date: day(&entry.accepted_at),
            language: entry.language.clone(),
            identifier: format!("{public_url}/practices/{}", practice.id),
            rights: rights.to_owned(),
        }
    });
    Record { header, metadata }
}
