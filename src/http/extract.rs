//! Extractors that turn a request into typed input or a precise problem:
//! the JSON body (with the path of the offending field, a size limit and a
//! content-type check) and the query string. actix's own extractors answer
//! plain-text errors without field paths, so ours replace them.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{self, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::domain::text::{multi_line_fault, Unfit};
use crate::error::{AppError, FieldError};

/// The largest JSON body a route accepts, and how long a client may take
/// to send it (a client trickling a body byte by byte would otherwise hold
/// a connection and a buffer for as long as it likes); set once from the
/// settings.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize, pub std::time::Duration);

/// A JSON request body, deserialized with the path of any invalid field.
/// For public endpoints; endpoints that need an account take a
/// [`JsonBody`] and parse it after authorizing the caller.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = JsonBody::from_request(request, payload);
        Box::pin(async move { body.await?.parse().map(ApiJson) })
    }
}

/// A JSON body read whole (within the size limit, with a JSON content
/// type) but not yet parsed. actix extracts a handler's arguments
/// concurrently, so a body parsed at extraction could answer 400 to a
/// caller who should get 401; parsing after `authorize` keeps the order
/// "who are you" before "what did you send".
#[derive(Debug)]
pub struct JsonBody(web::Bytes);

impl JsonBody {
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        parse_json(&self.0)
    }

    /// For endpoints whose body is optional: no body reads as `T::default()`.
    pub fn parse_or_default<T: DeserializeOwned + Default>(&self) -> Result<T, AppError> {
        if self.0.iter().all(u8::is_ascii_whitespace) {
            Ok(T::default())
        } else {
            self.parse()
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl FromRequest for JsonBody {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = check_content_type(request);
        let body = read_body(request, payload);
        Box::pin(async move {
            let body = body.await?;
            // An empty body needs no content type: some endpoints take none.
            if !body.is_empty() {
                content_type?;
            }
            Ok(JsonBody(body))
        })
    }
}

/// A request body read whole, within the service's size limit (refused
/// at once when its declared length is over it) and its time limit, for
/// any front door's extractor.
pub fn read_body(
    request: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<web::Bytes, AppError>> + 'static {
    let (limit, timeout) = request
        .app_data::<BodyLimit>()
        .map_or((1024 * 1024, std::time::Duration::from_secs(10)), |l| {
            (l.0, l.1)
        });
    let length = check_declared_length(request, limit);
    let mut payload = payload.take();
    async move {
        length?;
        let read = async {
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    AppError::bad_request(format!("the request body could not be read: {e}"))
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(too_large(limit));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(body)
        };
        let body = actix_web::rt::time::timeout(timeout, read)
            .await
            .map_err(|_| {
                AppError::RequestTimeout(format!(
                    "the request body did not arrive within {} s",
                    timeout.as_secs()
                ))
            })??;
        Ok(body.freeze())
    }
}

fn check_content_type(request: &HttpRequest) -> Result<(), AppError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Ok(())
    } else {
        Err(AppError::UnsupportedMediaType(format!(
            "send the body as application/json (Content-Type was {:?})",
            content_type
        )))
    }
}

/// Refuses a body announced as too large before reading any of it.
fn check_declared_length(request: &HttpRequest, limit: usize) -> Result<(), AppError> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => Err(too_large(limit)),
        _ => Ok(()),
    }
}

fn too_large(limit: usize) -> AppError {
    AppError::PayloadTooLarge(format!(
        "the request body is larger than the limit of {limit} bytes"
    ))
}

/// Parses a JSON document into `T`; a failure names the field it concerns.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::bad_request(
            "the request body is empty: send a JSON object",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map(|crate::json::Object(value)| value)
        .map_err(|error| {
            let inner = error.inner();
            if inner.is_syntax() || inner.is_eof() {
                return AppError::bad_request(format!(
                    "the request body is not valid JSON: {inner}"
                ));
            }
            let field = field_of(error.path(), &inner.to_string());
            let message = inner.to_string();
            AppError::BadRequest {
                detail: match &field {
                    Some(field) => format!("'{field}' is not valid: {message}"),
                    None => format!("the request body does not have the expected shape: {message}"),
                },
                errors: vec![FieldError::new(
                    field.unwrap_or_else(|| "$".to_owned()),
                    strip_position(&message),
                )],
            }
        })?;
    deserializer.end().map_err(|e| {
        AppError::bad_request(format!(
            "the request body has data after the JSON value: {e}"
        ))
    })?;
    refuse_controls(body)?;
    Ok(value)
}

/// Refuses a control character in any text of a JSON body, names and
/// values alike (422, naming the field); each field that takes text then
/// checks the rest of what it may hold (one line, no bidi overrides).
fn refuse_controls(body: &[u8]) -> Result<(), AppError> {
    // JSON carries a control character only escaped (`\u0000`, `\b`,
    // `\f`) or, for DEL and C1, as raw UTF-8: most bodies have neither
    // and need no second reading.
    let escaped = body
        .windows(2)
        .any(|w| matches!(w, b"\\u" | b"\\b" | b"\\f"));
    let raw = body
        .windows(2)
        .any(|w| w[0] == 0x7f || (w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1])));
    if !escaped && !raw {
        return Ok(());
    }
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| AppError::bad_request(format!("the request body is not valid JSON: {e}")))?;
    match control_in(&value, &mut String::new()) {
        Some((field, fault)) => Err(AppError::Unprocessable {
            detail: format!("'{field}' {fault}"),
            errors: vec![FieldError::new(field, fault.to_string())],
        }),
        None => Ok(()),
    }
}

/// The first text under `value` that holds a control character, with its
/// path as field errors name fields (`practices[0].title`).
fn control_in(value: &serde_json::Value, path: &mut String) -> Option<(String, Unfit)> {
    let at = |path: &str| {
        if path.is_empty() {
            "$".to_owned()
        } else {
            path.to_owned()
        }
    };
    match value {
        serde_json::Value::String(text) => multi_line_fault(text).map(|f| (at(path), f)),
        serde_json::Value::Array(values) => values.iter().enumerate().find_map(|(i, v)| {
            let length = path.len();
            path.push_str(&format!("[{i}]"));
            let found = control_in(v, path);
            path.truncate(length);
            found
        }),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(name, v)| {
            let length = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name);
            // A password is a secret, compared whole: it holds what it holds.
            let found = multi_line_fault(name).map(|f| (at(path), f)).or_else(|| {
                (!name.ends_with("password"))
                    .then(|| control_in(v, path))
                    .flatten()
            });
            path.truncate(length);
            found
        }),
        _ => None,
    }
}

/// The path of the field an error concerns. For an unknown field, serde
/// reports the enclosing object; the field's own name is in the message.
fn field_of(path: &serde_path_to_error::Path, message: &str) -> Option<String> {
    let parent = path.to_string();
    let parent = (parent != ".").then_some(parent);
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    match (parent, unknown) {
        (Some(parent), Some(name)) if !parent.ends_with(name) => Some(format!("{parent}.{name}")),
        (Some(parent), _) => Some(parent),
        (None, Some(name)) => Some(name.to_owned()),
        (None, None) => None,
    }
}

/// serde_json appends " at line 1 column 42" to its messages; the field
/// path says more to a client than a column does.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// A query string, deserialized into `T`; unknown parameters are refused
/// when `T` denies unknown fields, so a misspelt filter is not ignored.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(request.query_string()).map(ApiQuery))
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let message = error.inner().to_string();
        let field = field_of(error.path(), &message).unwrap_or_else(|| "query".to_owned());
        AppError::BadRequest {
            detail: format!("the query parameter '{field}' is not valid: {message}"),
            errors: vec![FieldError::new(field, message)],
        }
    })
}

/// For PATCH fields where `null` means "clear" and absence means "keep":
/// `Some(None)` for null, `None` (with `#[serde(default)]`) for absent.
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// The version an `If-Match` header names (ETags are `"v<version>"`):
/// `None` without the header, `Some(None)` for `*`. A header that is not
/// `*` or a list of entity tags (RFC 9110, `formats::EntityTags`) is a 400.
/// Well-formed tags that name no version of ours read as version 0, which
/// nothing has (versions start at 1): the comparison made after the body
/// is checked refuses them with 412, as a stale one.
pub fn if_match_version(request: &actix_web::HttpRequest) -> Result<Option<Option<i64>>, AppError> {
    let Some(header) = request.headers().get(actix_web::http::header::IF_MATCH) else {
        return Ok(None);
    };
    let malformed = || AppError::BadRequest {
        detail: "If-Match must be * or a list of entity tags, such as \"v3\"".to_owned(),
        errors: vec![FieldError::new(
            "If-Match",
            "not * or a list of entity tags",
        )],
    };
    let text = header.to_str().map_err(|_| malformed())?;
    if text == "*" {
        return Ok(Some(None));
    }
    let version = entity_tags(text)
        .ok_or_else(malformed)?
        .into_iter()
        // If-Match compares strongly: a weak tag never matches.
        .filter(|(weak, _)| !weak)
        .find_map(|(_, tag)| tag.strip_prefix('v').and_then(|n| n.parse::<i64>().ok()))
        .unwrap_or(NO_VERSION);
    Ok(Some(Some(version)))
}

/// What tags that are not ours name (see [`if_match_version`]).
const NO_VERSION: i64 = 0;

/// `#entity-tag` of RFC 9110 as `(weak, opaque text)`, or `None` when the
/// text is not one: tags separated by a comma and spaces, each `"…"` or
/// `W/"…"` around visible ASCII other than `"` (commas included).
fn entity_tags(text: &str) -> Option<Vec<(bool, &str)>> {
    let mut tags = Vec::new();
    let mut rest = text;
    loop {
        let weak = rest.starts_with("W/");
        let quoted = rest.strip_prefix("W/").unwrap_or(rest).strip_prefix('"')?;
        let end = quoted.find('"')?;
        let inner = &quoted[..end];
        if !inner
            .bytes()
            .all(|b| b == b'!' || (b'#'..=b'~').contains(&b))
        {
            return None;
        }
        tags.push((weak, inner));
        rest = quoted[end + 1..].trim_start_matches(' ');
        if rest.is_empty() {
            return Some(tags);
        }
        rest = rest.strip_prefix(',')?.trim_start_matches(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_tags_are_read_as_rfc_9110_writes_them() {
        assert_eq!(entity_tags(r#""v3""#), Some(vec![(false, "v3")]));
        assert_eq!(
            entity_tags(r#"W/"v1" ,"a,b",  """#),
            Some(vec![(true, "v1"), (false, "a,b"), (false, "")])
        );
        for malformed in [
            "",
            "v3",
            r#""v3"#,
            r#""v3" "v4""#,
            r#""v3","#,
            r#""é""#,
            r#"w/"v3""#,
        ] {
            assert_eq!(entity_tags(malformed), None, "{malformed}");
        }
    }
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Practice {
        #[allow(dead_code)]
        title: String,
        #[allow(dead_code)]
        items: Vec<u8>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Submission {
        #[allow(dead_code)]
        practices: Vec<Practice>,
    }

    fn field_errors(error: AppError) -> Vec<FieldError> {
        match error {
            AppError::BadRequest { errors, .. } => errors,
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_type_names_the_nested_field() {
        let error = parse_json::<Submission>(br#"{"practices":[{"title":"t","items":["x"]}]}"#)
            .unwrap_err();
        assert_eq!(field_errors(error)[0].field, "practices[0].items[0]");
    }

    #[test]
    fn an_unknown_field_is_named_with_its_path() {
        let error =
            parse_json::<Submission>(br#"{"practices":[{"title":"t","items":[],"colour":1}]}"#)
                .unwrap_err();
        assert_eq!(field_errors(error)[0].field, "practices[0].colour");
        let error = parse_json::<Submission>(br#"{"practices":[],"extra":true}"#).unwrap_err();
        assert_eq!(field_errors(error)[0].field, "extra");
    }

    #[test]
    fn syntax_errors_empty_bodies_and_trailing_data_are_bad_requests() {
        for body in [
            &b"{\"practices\": ["[..],
            b"",
            b"  ",
            b"{\"practices\":[]} []",
            b"nul",
        ] {
            let error = parse_json::<Submission>(body).unwrap_err();
            assert!(
                matches!(error, AppError::BadRequest { .. }),
                "{body:?}: {error:?}"
            );
        }
    }

    #[test]
    fn a_missing_field_is_reported() {
        let error = parse_json::<Submission>(br#"{}"#).unwrap_err();
        assert!(
            error.to_string().contains("missing field `practices`"),
            "{error}"
        );
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Filter {
        #[allow(dead_code)]
        lang: Option<crate::domain::Language>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let error = parse_query::<Filter>("lang=de").unwrap_err();
        assert_eq!(field_errors(error)[0].field, "lang");
        let error = parse_query::<Filter>("lnag=fr").unwrap_err();
        assert_eq!(field_errors(error)[0].field, "lnag");
        assert!(parse_query::<Filter>("lang=fr").is_ok());
        assert!(parse_query::<Filter>("").is_ok());
    }
}
