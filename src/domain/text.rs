//! What a text the service keeps may hold. No text holds a control
//! character: PostgreSQL refuses NUL outright, SQLite keeps it raw, and
//! the others break the plain-text mail, the feeds and CSV cells. A
//! one-line text (a title, a name) holds no line break either, nor the
//! bidirectional overrides and isolates that make a title read otherwise
//! than it is stored ("Trojan source"). Texts are kept in Unicode's
//! composed form (NFC), so that equal texts are equal bytes for search,
//! sorting and comparison.

use unicode_normalization::UnicodeNormalization;

use crate::error::FieldError;

/// Why a text is refused, as a field error says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfit {
    /// A control character (named by its code point, U+0000 and so on).
    Control(char),
    /// A line break or tab in a one-line text.
    LineBreak,
    /// A bidirectional override or isolate in a one-line text.
    Bidi(char),
}

impl std::fmt::Display for Unfit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unfit::Control(c) => write!(
                f,
                "holds the control character U+{:04X}, which no text may hold",
                u32::from(*c)
            ),
            Unfit::LineBreak => f.write_str("is one line: it may not hold a line break or a tab"),
            Unfit::Bidi(c) => write!(
                f,
                "is one line and may not hold the bidirectional control U+{:04X}",
                u32::from(*c)
            ),
        }
    }
}

/// Characters that control rather than show: C0 (but the tab and line
/// breaks of a multi-line text), DEL and C1.
fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// The embeddings, overrides and isolates of Unicode's bidirectional
/// algorithm (the marks U+200E and U+200F stay: Arabic text needs them).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What is wrong with a multi-line text (a body, a message), if anything.
pub fn multi_line_fault(text: &str) -> Option<Unfit> {
    text.chars().find(|c| is_control(*c)).map(Unfit::Control)
}

/// What is wrong with a one-line text (a title, a name), if anything.
pub fn one_line_fault(text: &str) -> Option<Unfit> {
    text.chars().find_map(|c| {
        if matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}') {
            Some(Unfit::LineBreak)
        } else if is_control(c) {
            Some(Unfit::Control(c))
        } else if is_bidi_control(c) {
            Some(Unfit::Bidi(c))
        } else {
            None
        }
    })
}

/// The text in Unicode's composed form (NFC).
pub fn composed(text: &str) -> String {
    if unicode_normalization::is_nfc(text) {
        text.to_owned()
    } else {
        text.nfc().collect()
    }
}

/// The characters no multi-line text holds, as an ECMA-262 class body:
/// what [`multi_line_fault`] refuses.
pub const CONTROLS: &str = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f";

/// The characters no one-line text holds, as an ECMA-262 class body: what
/// [`one_line_fault`] refuses.
pub const ONE_LINE_CONTROLS: &str =
    r"\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069";

/// The pattern (ECMA-262) of a text the service keeps, for the OpenAPI
/// document: one line or several, and when `not_blank`, with a character
/// outside `blanks` (a class body of white space) at least.
pub fn pattern(one_line: bool, not_blank: Option<&str>) -> String {
    let refused = if one_line {
        ONE_LINE_CONTROLS
    } else {
        CONTROLS
    };
    match not_blank {
        Some(blanks) => format!("^[^{refused}]*[^{refused}{blanks}][^{refused}]*$"),
        None => format!("^[^{refused}]*$"),
    }
}

/// A one-line text as kept (composed), its fault noted against `field`.
pub fn one_line(field: &str, text: &str, errors: &mut Vec<FieldError>) -> String {
    if let Some(fault) = one_line_fault(text) {
        errors.push(FieldError::new(field, fault.to_string()));
    }
    composed(text)
}

/// A multi-line text as kept (composed), its fault noted against `field`.
pub fn multi_line(field: &str, text: &str, errors: &mut Vec<FieldError>) -> String {
    if let Some(fault) = multi_line_fault(text) {
        errors.push(FieldError::new(field, fault.to_string()));
    }
    composed(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_everywhere() {
        for text in [
            "a\u{0}b",
            "bell\u{7}",
            "esc\u{1b}[31m",
            "del\u{7f}",
            "c1\u{85}x",
        ] {
            assert!(
                matches!(multi_line_fault(text), Some(Unfit::Control(_))),
                "{text:?}"
            );
            assert!(one_line_fault(text).is_some(), "{text:?}");
        }
        assert_eq!(multi_line_fault("a\u{0}b"), Some(Unfit::Control('\u{0}')));
        assert_eq!(
            Unfit::Control('\u{0}').to_string(),
            "holds the control character U+0000, which no text may hold"
        );
    }

    #[test]
    fn bodies_keep_their_lines_and_titles_do_not() {
        let body = "# Title\r\n\nA line\tand a tab.\n";
        assert_eq!(multi_line_fault(body), None);
        assert_eq!(one_line_fault("Line\nbreak"), Some(Unfit::LineBreak));
        assert_eq!(one_line_fault("Carriage\rreturn"), Some(Unfit::LineBreak));
        assert_eq!(one_line_fault("Separator\u{2028}"), Some(Unfit::LineBreak));
    }

    #[test]
    fn titles_refuse_bidi_overrides_and_keep_every_script() {
        assert_eq!(
            one_line_fault("invoice\u{202e}fdp.exe"),
            Some(Unfit::Bidi('\u{202e}'))
        );
        assert_eq!(one_line_fault("a\u{2066}b"), Some(Unfit::Bidi('\u{2066}')));
        for title in [
            "الأمن السيبراني\u{200f}",
            "网络安全",
            "Кибербезопасность",
            "Ciberseguridad — España",
            "Cybersécurité « nationale »",
        ] {
            assert_eq!(one_line_fault(title), None, "{title}");
        }
    }

    /// The classes of the document's patterns, read back as ranges, refuse
    /// exactly what the rules refuse.
    #[test]
    fn the_documented_patterns_say_what_the_rules_refuse() {
        let within = |c: char, class: &str| {
            crate::testing::class_ranges(class)
                .iter()
                .any(|(a, b)| (*a..=*b).contains(&c))
        };
        for code in (0..0x3000u32).filter_map(char::from_u32) {
            let text = code.to_string();
            assert_eq!(
                within(code, CONTROLS),
                multi_line_fault(&text).is_some(),
                "{code:?}"
            );
            assert_eq!(
                within(code, ONE_LINE_CONTROLS),
                one_line_fault(&text).is_some(),
                "{code:?}"
            );
        }
        assert_eq!(pattern(false, None), format!("^[^{CONTROLS}]*$"));
    }

    #[test]
    fn texts_are_kept_composed() {
        let decomposed = "Se\u{301}curite\u{301}";
        assert_eq!(composed(decomposed), "Sécurité");
        assert_eq!(composed("Sécurité"), "Sécurité");
        assert_eq!(composed("한국어").chars().count(), 3);
    }
}
