//! A desk form as it was posted: `application/x-www-form-urlencoded`
//! pairs, in order, within the service's body limit. Pairs rather than a
//! struct, because a submission's form repeats its fields once per
//! practice and a checkbox sends one pair per ticked box.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};

use super::failure::Failure;
use super::session::CSRF_FIELD;
use crate::domain::text::multi_line_fault;
use crate::error::{AppError, FieldError};
use crate::http::extract::read_body;
use crate::web::layout::Reader;

#[derive(Debug, Default)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        Form {
            pairs: form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }

    /// The first value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a field, or nothing.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_owned()
    }

    /// Every value of a field (ticked boxes).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The names of the fields sent, in order (repeated ones repeated).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(k, _)| k.as_str())
    }

    pub fn csrf(&self) -> Option<&str> {
        self.get(CSRF_FIELD)
    }

    /// Refuses a control character in any field (422, naming it), as the
    /// API refuses it in any JSON text.
    fn refuse_controls(&self) -> Result<(), AppError> {
        let found = self.pairs.iter().find_map(|(name, value)| {
            // A password is a secret, compared whole: it holds what it holds.
            let checked = if name.ends_with("password") {
                ""
            } else {
                value
            };
            multi_line_fault(name)
                .or_else(|| multi_line_fault(checked))
                .map(|fault| (name, fault))
        });
        match found {
            Some((name, fault)) => Err(AppError::Unprocessable {
                detail: format!("'{name}' {fault}"),
                errors: vec![FieldError::new(name.clone(), fault.to_string())],
            }),
            None => Ok(()),
        }
    }
}

impl FromRequest for Form {
    type Error = Failure;
    type Future = Pin<Box<dyn Future<Output = Result<Form, Failure>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let reader = Reader::of(request);
        let form_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';').next().is_some_and(|e| {
                    e.trim()
                        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
                })
            });
        let body = read_body(request, payload);
        Box::pin(async move {
            if !form_type {
                return Err(Failure::page(
                    &reader,
                    AppError::bad_request("send the form as application/x-www-form-urlencoded"),
                ));
            }
            let body = body.await.map_err(|e| Failure::page(&reader, e))?;
            let form = Form::parse(&body);
            form.refuse_controls()
                .map_err(|e| Failure::page(&reader, e))?;
            Ok(form)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_keep_every_value_in_order() {
        let form = Form::parse(b"csrf=t&p0.items=4&p0.items=11&title=A+%26+B");
        assert_eq!(form.all("p0.items").collect::<Vec<_>>(), ["4", "11"]);
        assert_eq!(form.get("title"), Some("A & B"));
        assert_eq!(form.csrf(), Some("t"));
        assert_eq!(form.text("missing"), "");
    }
}
