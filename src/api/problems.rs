//! Every error answer is a problem document (RFC 9457), so the document
//! says it once: an endpoint lists its error statuses with what each means
//! there, and this gives each the `application/problem+json` body.

use std::collections::BTreeMap;

use utoipa::openapi::path::Operation;
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, Modify};

use crate::error::PROBLEM_CONTENT_TYPE;

/// Gives every 4xx and 5xx response that declares no body the `Problem` one.
pub struct ProblemBodies;

impl Modify for ProblemBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for operation in operations(openapi) {
            // Every body is read under the size limit, whichever handler
            // reads it: one declaration here rather than one per endpoint.
            if operation.request_body.is_some() {
                operation
                    .responses
                    .responses
                    .entry("413".to_owned())
                    .or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(
                                    "Body larger than the limit (COMPENDIUM_MAX_BODY_BYTES)",
                                )
                                .build(),
                        )
                    });
            }
            for (status, response) in operation.responses.responses.iter_mut() {
                let RefOr::T(response) = response else {
                    continue;
                };
                if is_error(status) && response.content.is_empty() {
                    response.content.insert(
                        PROBLEM_CONTENT_TYPE.to_owned(),
                        RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
                    );
                }
            }
        }
    }
}

/// Every operation of the document, whatever its method.
pub fn operations(openapi: &mut utoipa::openapi::OpenApi) -> impl Iterator<Item = &mut Operation> {
    openapi.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
    })
}

fn is_error(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5')
}

/// The error answers of a workflow move on one submission, shared by the
/// five moves.
pub struct MoveProblems;

impl IntoResponses for MoveProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        [
            ("400", "Malformed request"),
            ("401", "No valid token"),
            (
                "403",
                "Not the caller's to do: focal points submit and withdraw their own entity's submissions; only editors request changes, accept or reject",
            ),
            ("404", "No such submission, or another entity's"),
            (
                "409",
                "Not possible in its status; the detail names what is",
            ),
            (
                "412",
                "If-Match names another version than the present one: the move was decided on what is no longer there",
            ),
            (
                "422",
                "A required message or reason is missing, or too long",
            ),
        ]
        .into_iter()
        .map(|(status, description)| {
            let response = ResponseBuilder::new().description(description).build();
            (status.to_owned(), RefOr::T(response))
        })
        .collect()
    }
}
