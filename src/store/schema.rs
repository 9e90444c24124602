//! The tables, as diesel sees them. Types are the ones both backends share:
//! text ids and JSON, big integers, booleans, timestamps in UTC.

diesel::table! {
    organisations (code) {
        code -> Text,
        name -> Text,
        entity_type -> Text,
        created_at -> Timestamp,
    }
}
