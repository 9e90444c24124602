//! The shapes of strings the API reads from query strings and headers, as
//! the OpenAPI document declares them. Each schema says exactly what the
//! parser beside it accepts: a client (or a test generator) that follows
//! the document is never refused for the shape of a value, and anything
//! outside it is a 400.

use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};

/// A lower-case hyphenated UUID, the form of every id this service makes.
pub const ID_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

/// Whether `text` is an id in the one form [`ID_PATTERN`] allows.
pub fn is_id(text: &str) -> bool {
    uuid::Uuid::try_parse(text).is_ok_and(|id| id.hyphenated().to_string() == text)
}

/// Declares string schema types:
/// `Name = (description, pattern, example, custom format or None)`.
macro_rules! string_schemas {
    ($($(#[$doc:meta])* $name:ident = ($description:expr, $pattern:expr, $example:expr, $format:expr);)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($description))
                    .pattern(Some($pattern))
                    .examples([$example])
                    .format($format.map(|f: &str| SchemaFormat::Custom(f.to_owned())))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    )*};
}

/// The custom `format` of `If-Match` (generators that cannot build the
/// pattern, which needs quotes, can be taught this name).
pub const ENTITY_TAGS_FORMAT: &str = "entity-tags";

string_schemas! {
    /// The cursor of a list ordered by id.
    IdCursor = (
        "`next_cursor` of the previous page, unchanged",
        ID_PATTERN,
        "01a22606-0725-74df-bc78-4f06e879ed25",
        None
    );
    /// The cursor of a catalogue search.
    SearchCursor = (
        "`next_cursor` of the previous page, unchanged",
        r"^[0-9]{1,19}\.[0-9]{1,12}$",
        "3.20",
        None
    );
    /// `If-Match`: `*` or a list of entity tags (RFC 9110).
    EntityTags = (
        "`*`, or the ETag of the version being changed",
        r#"^(\*|(W/)?"[!#-~]*"( *, *(W/)?"[!#-~]*")*)$"#,
        r#""v1""#,
        Some(ENTITY_TAGS_FORMAT)
    );
    /// `Idempotency-Key`.
    IdempotencyKey = (
        "1 to 255 visible ASCII characters, new for each submission (a UUID suits)",
        "^[!-~]{1,255}$",
        "5f0c9e52-6b51-4d0e-9a57-2f3d2a1c7b10",
        None
    );
    /// A comma-separated list of submission statuses.
    StatusList = (
        "One status, or several separated by commas",
        "^(draft|submitted|changes_requested|accepted|rejected|withdrawn)(,(draft|submitted|changes_requested|accepted|rejected|withdrawn))*$",
        "submitted,changes_requested",
        None
    );
}

/// `from` and `to` of the catalogue and coverage: a whole day or a time.
pub struct DateOrTime;

impl utoipa::PartialSchema for DateOrTime {
    fn schema() -> RefOr<Schema> {
        let format = |known| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(known)))
        };
        AnyOfBuilder::new()
            .description(Some(
                "A date (2024-05-01, the whole day) or an RFC 3339 time",
            ))
            .item(format(KnownFormat::Date))
            .item(format(KnownFormat::DateTime))
            .into()
    }
}

impl utoipa::ToSchema for DateOrTime {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_one_form() {
        let id = uuid::Uuid::now_v7().to_string();
        assert!(is_id(&id));
        assert!(!is_id(&id.to_uppercase()));
        assert!(!is_id(&id.replace('-', "")));
        assert!(!is_id(&format!("{{{id}}}")));
        assert!(!is_id(""));
    }
}
