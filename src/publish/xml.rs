//! What every XML document we write needs: text escaped for XML 1.0, and
//! times in the UTC form feeds, sitemaps and OAI-PMH all ask for.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::text::escape_html;

/// `text` escaped for an XML element or attribute, without the characters
/// XML 1.0 forbids even escaped (a control character in a stored text
/// must not make a whole feed or harvest unreadable).
pub fn escaped(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect();
    let mut out = String::with_capacity(allowed.len());
    escape_html(&allowed, &mut out);
    out
}

/// `2026-12-06T21:53:50Z`: seconds, UTC, with `Z`.
pub fn utc_seconds(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_go_and_markup_is_escaped() {
        assert_eq!(
            escaped("a\u{0}b\u{1b}<c> & \"d\"\n"),
            "ab&lt;c&gt; &amp; &quot;d&quot;\n"
        );
    }

    #[test]
    fn times_are_utc_seconds() {
        let t = DateTime::parse_from_rfc3339("2026-12-06T22:53:50.75+01:00")
            .map(|t| t.with_timezone(&Utc))
            .ok();
        assert_eq!(
            t.as_ref().map(utc_seconds).as_deref(),
            Some("2026-12-06T21:53:50Z")
        );
    }
}
