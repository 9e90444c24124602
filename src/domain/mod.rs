//! Pure domain rules and types: no I/O, no framework. The reference data
//! (the annex of resolution 64/211, the entities that submit) lives here
//! too, so every layer above reads one vocabulary. Everything here is
//! unit-tested beside the code.

/// `Display` and `FromStr` for an enum whose values are named in text
/// (the names the contract and the database use): every value is in its
/// `ALL`, a value's name is `$name()`, and a text that names none is
/// refused with the block's error. `in any case` also takes a name in
/// another case, with spaces around it.
macro_rules! named_in_text {
    // With an error type of its own, which quotes the text it refused.
    ($type:ident by $name:ident $(in $any:ident case)?, else $err:ident($message:literal)) => {
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        #[error($message)]
        pub struct $err(pub String);

        named_in_text!($type by $name $(in $any case)?, |text| -> $err { $err(text.to_owned()) });
    };
    ($type:ident by $name:ident, |$text:ident| -> $err:ty $refusal:block) => {
        named_in_text!(@impl $type, $name, $text, $err, $refusal, |value: $type| value.$name() == $text);
    };
    ($type:ident by $name:ident in any case, |$text:ident| -> $err:ty $refusal:block) => {
        named_in_text!(@impl $type, $name, $text, $err, $refusal, |value: $type| value.$name().eq_ignore_ascii_case($text.trim()));
    };
    (@impl $type:ident, $name:ident, $text:ident, $err:ty, $refusal:block, $matches:expr) => {
        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.$name())
            }
        }

        impl ::std::str::FromStr for $type {
            type Err = $err;

            fn from_str($text: &str) -> Result<Self, Self::Err> {
                $type::ALL.into_iter().find(|value| ($matches)(*value)).ok_or_else(|| $refusal)
            }
        }
    };
}

pub mod account;
pub mod annex;
pub mod assessment;
pub mod clock;
pub mod compilation;
pub mod coverage;
pub mod diff;
pub mod entities;
pub mod exchange;
pub mod harvest;
pub mod history;
pub mod language;
pub mod notice;
pub mod outbox;
pub mod page;
pub mod rate;
pub mod session;
pub mod submission;
pub mod suggestion;
pub mod text;
pub mod thesaurus;
pub mod translation;
pub mod workflow;

pub use language::Language;

/// A text newtype checked on the way in: shown as its text, and read from
/// JSON only through its `parse`, so that serde lets no unchecked value in.
macro_rules! checked_text {
    ($type:ident) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $type::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use checked_text;

/// The pattern (ECMA-262) of text that is not blank as `str::trim` sees
/// it: one character outside Unicode White_Space at least. `\S` would not
/// do: ECMAScript's `\s` leaves out U+0085 and takes in U+FEFF, Rust the
/// reverse, so the document would call valid what the server refuses.
pub const NOT_BLANK: &str =
    r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

#[cfg(test)]
mod tests {
    use super::NOT_BLANK;

    /// The characters [`NOT_BLANK`] excludes, read from its own text.
    fn excluded() -> Vec<(char, char)> {
        let class = NOT_BLANK
            .strip_prefix("[^")
            .and_then(|c| c.strip_suffix(']'))
            .expect("a negated class");
        crate::testing::class_ranges(class)
    }

    #[test]
    fn not_blank_excludes_exactly_what_trim_removes() {
        let ranges = excluded();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let in_class = ranges.iter().any(|(a, b)| (*a..=*b).contains(&c));
            assert_eq!(in_class, c.is_whitespace(), "U+{:04X}", c as u32);
        }
    }
}
