//! Atom 1.0 feeds (RFC 4287): the published editions, and the newest
//! practices of the catalogue. Ids are `urn:uuid:` of our own ids, so they
//! never change whatever the address the service is reached at.

use chrono::{DateTime, Utc};

use super::xml::{escaped, utc_seconds as time};
use crate::domain::annex::adopted;
use crate::domain::Language;

/// An entry of a feed.
pub struct FeedEntry {
    /// A UUID: the entry's id becomes `urn:uuid:…`.
    pub id: String,
    pub title: String,
    /// The language of the title and summary, where it is not the feed's
    /// (a practice is in the language it was written in).
    pub language: Option<Language>,
    pub link: String,
    pub updated: DateTime<Utc>,
    pub published: Option<DateTime<Utc>>,
    pub author: String,
    pub summary: String,
    /// Categories as (term, label): annex items, for one.
    pub categories: Vec<(String, String)>,
}

/// A whole feed.
pub struct Feed {
    /// The feed's own address, which is also its id.
    pub self_link: String,
    /// The language of the feed's own words and of the entries' labels.
    pub language: Language,
    pub alternate: String,
    pub title: String,
    pub subtitle: String,
    pub entries: Vec<FeedEntry>,
}

impl Feed {
    pub fn render(&self) -> String {
        // Without entries, a fixed time, so an empty feed stays
        // byte-identical.
        let updated = self
            .entries
            .iter()
            .map(|e| e.updated)
            .max()
            .unwrap_or_else(adopted);
        let mut xml = String::with_capacity(1024 + self.entries.len() * 800);
        xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        xml.push_str(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
            self.language.code()
        ));
        xml.push_str(&format!("  <id>{}</id>\n", escaped(&self.self_link)));
        xml.push_str(&format!("  <title>{}</title>\n", escaped(&self.title)));
        xml.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escaped(&self.subtitle)
        ));
        xml.push_str(&format!("  <updated>{}</updated>\n", time(&updated)));
        xml.push_str(&link("  ", "self", "application/atom+xml", &self.self_link));
        xml.push_str(&link("  ", "alternate", "text/html", &self.alternate));
        xml.push_str("  <author><name>United Nations Secretariat</name></author>\n");
        xml.push_str("  <generator>Compendium</generator>\n");
        for entry in &self.entries {
            xml.push_str("  <entry>\n");
            xml.push_str(&format!("    <id>urn:uuid:{}</id>\n", escaped(&entry.id)));
            let own = entry
                .language
                .filter(|l| *l != self.language)
                .map(|l| format!(" xml:lang=\"{}\"", l.code()))
                .unwrap_or_default();
            xml.push_str(&format!(
                "    <title{own}>{}</title>\n",
                escaped(&entry.title)
            ));
            xml.push_str(&link("    ", "alternate", "text/html", &entry.link));
            xml.push_str(&format!(
                "    <updated>{}</updated>\n",
                time(&entry.updated)
            ));
            if let Some(published) = &entry.published {
                xml.push_str(&format!("    <published>{}</published>\n", time(published)));
            }
            xml.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escaped(&entry.author)
            ));
            for (term, label) in &entry.categories {
                xml.push_str(&format!(
                    "    <category term=\"{}\" label=\"{}\"/>\n",
                    escaped(term),
                    escaped(label)
                ));
            }
            xml.push_str(&format!(
                "    <summary type=\"text\"{own}>{}</summary>\n",
                escaped(&entry.summary)
            ));
            xml.push_str("  </entry>\n");
        }
        xml.push_str("</feed>\n");
        xml
    }
}

/// An Atom `<link>` line, indented, with its target escaped.
fn link(indent: &str, rel: &str, media_type: &str, href: &str) -> String {
    format!(
        "{indent}<link rel=\"{rel}\" type=\"{media_type}\" href=\"{}\"/>\n",
        escaped(href)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_empty_feed_is_still_whole_and_stable() {
        let feed = Feed {
            self_link: "https://x/feeds/compilations.atom".to_owned(),
            language: Language::En,
            alternate: "https://x/compilations".to_owned(),
            title: "Compilations".to_owned(),
            subtitle: "Editions".to_owned(),
            entries: Vec::new(),
        };
        let xml = feed.render();
        assert!(xml.contains("<updated>2009-12-21T00:00:00Z</updated>"));
        assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
        assert_eq!(xml, feed.render());
    }

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        let at = Utc.with_ymd_and_hms(2027, 1, 5, 10, 0, 0).unwrap();
        let feed = Feed {
            self_link: "https://x/feeds/practices.atom".to_owned(),
            language: Language::Fr,
            alternate: "https://x/".to_owned(),
            title: "Practices".to_owned(),
            subtitle: "New".to_owned(),
            entries: vec![FeedEntry {
                id: "0190-…".to_owned(),
                title: "<b>A & B</b>\u{1}".to_owned(),
                language: Some(Language::Ar),
                link: "https://x/practices/1?a=1&b=2".to_owned(),
                updated: at,
                published: Some(at),
                author: "Côte d’Ivoire".to_owned(),
                summary: "x".to_owned(),
                categories: vec![("11".to_owned(), "Incident response".to_owned())],
            }],
        };
        let xml = feed.render();
        // The entry's own language marks its words, not the feed's labels.
        assert!(xml.contains("<title xml:lang=\"ar\">&lt;b&gt;A &amp; B&lt;/b&gt;</title>"));
        assert!(xml.contains("<summary type=\"text\" xml:lang=\"ar\">x</summary>"));
        assert!(xml.contains("href=\"https://x/practices/1?a=1&amp;b=2\""));
        assert!(xml.contains("<updated>2027-01-05T10:00:00Z</updated>"));
    }
}
