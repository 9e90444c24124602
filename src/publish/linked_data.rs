//! schema.org descriptions of the reader's pages, as JSON-LD, so that
//! search engines and other sites read what a page is: a practice (who
//! shared it, when, in which language, on which items of the annex) or an
//! edition of the compilation (its number, date and downloads).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::xml::utc_seconds as time;

/// The annex's items as a set of terms a practice is about.
const ANNEX: &str = "Annex to General Assembly resolution 64/211";
const PUBLISHER: &str = "United Nations Secretariat";

/// What a practice page says of the practice.
pub struct PracticeFacts<'a> {
    pub url: &'a str,
    pub site_name: &'a str,
    pub site_url: &'a str,
    pub name: &'a str,
    /// Plain text, shortened.
    pub description: &'a str,
    /// The language of `name` and `description`.
    pub language: &'a str,
    /// The language it was written in, when the page shows a translation.
    pub translated_from: Option<&'a str>,
    pub author: &'a str,
    pub author_is_organisation: bool,
    pub published: DateTime<Utc>,
    /// `(number, title)` of its annex items.
    pub items: Vec<(u8, &'a str)>,
}

/// What an edition page says of the edition.
pub struct EditionFacts<'a> {
    pub url: &'a str,
    pub site_name: &'a str,
    pub site_url: &'a str,
    pub name: &'a str,
    pub number: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub language: &'a str,
    /// `(media type, address)` of each download.
    pub downloads: Vec<(&'a str, String)>,
}

/// JSON that cannot end the `<script>` holding it: `<`, `>` and `&` are
/// written as escapes, which JSON reads as the same characters.
fn script_safe(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn website(name: &str, url: &str) -> Value {
    json!({"@type": "WebSite", "name": name, "url": url})
}

/// A practice page's JSON-LD.
pub fn practice(facts: &PracticeFacts<'_>) -> String {
    let author_type = if facts.author_is_organisation {
        "Organization"
    } else {
        "GovernmentOrganization"
    };
    let about: Vec<Value> = facts
        .items
        .iter()
        .map(|(number, title)| {
            json!({"@type": "DefinedTerm", "termCode": number.to_string(), "name": title,
                   "inDefinedTermSet": {"@type": "DefinedTermSet", "name": ANNEX}})
        })
        .collect();
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": facts.url,
        "url": facts.url,
        "name": facts.name,
        "description": facts.description,
        "inLanguage": facts.language,
        "author": {"@type": author_type, "name": facts.author},
        "publisher": {"@type": "Organization", "name": PUBLISHER},
        "datePublished": time(&facts.published),
        "about": about,
        "isPartOf": website(facts.site_name, facts.site_url),
    });
    if let Some(original) = facts.translated_from {
        value["translationOfWork"] = json!({
            "@type": "CreativeWork",
            "url": format!("{}?original=1", facts.url),
            "inLanguage": original,
        });
    }
    script_safe(&value)
}

/// An edition page's JSON-LD.
pub fn edition(facts: &EditionFacts<'_>) -> String {
    let encodings: Vec<Value> = facts
        .downloads
        .iter()
        .map(|(media_type, url)| {
            json!({"@type": "MediaObject", "encodingFormat": media_type, "contentUrl": url})
        })
        .collect();
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": facts.url,
        "url": facts.url,
        "name": facts.name,
        "inLanguage": facts.language,
        "publisher": {"@type": "Organization", "name": PUBLISHER},
        "encoding": encodings,
        "isPartOf": website(facts.site_name, facts.site_url),
    });
    if let Some(number) = &facts.number {
        value["reportNumber"] = json!(number);
    }
    if let Some(published) = &facts.published {
        value["datePublished"] = json!(time(published));
    }
    script_safe(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(name: &'a str) -> PracticeFacts<'a> {
        PracticeFacts {
            url: "https://compendium.example/practices/p1",
            site_name: "Compendium",
            site_url: "https://compendium.example/",
            name,
            description: "A national team.",
            language: "fr",
            translated_from: Some("en"),
            author: "Kenya",
            author_is_organisation: false,
            published: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            items: vec![(10, "Incident response")],
        }
    }

    #[test]
    fn a_practice_is_a_creative_work_about_annex_items() {
        let text = practice(&facts("CERT"));
        let value: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["@type"], "CreativeWork");
        assert_eq!(value["author"]["@type"], "GovernmentOrganization");
        assert_eq!(value["about"][0]["termCode"], "10");
        assert_eq!(value["datePublished"], "2023-11-14T22:13:20Z");
        assert_eq!(value["translationOfWork"]["inLanguage"], "en");
    }

    #[test]
    fn nothing_in_it_can_close_the_script() {
        let text = practice(&facts("</script><script>alert(1)</script> & <!--"));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let value: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["name"], "</script><script>alert(1)</script> & <!--");
    }

    #[test]
    fn an_edition_is_a_numbered_report_with_its_downloads() {
        let text = edition(&EditionFacts {
            url: "https://compendium.example/compilations/c1",
            site_name: "Compendium",
            site_url: "https://compendium.example/",
            name: "First compilation",
            number: Some("2027/1".to_owned()),
            published: DateTime::from_timestamp(1_700_000_000, 0),
            language: "en",
            downloads: vec![("text/html", "https://compendium.example/x".to_owned())],
        });
        let value: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["@type"], "Report");
        assert_eq!(value["reportNumber"], "2027/1");
        assert_eq!(value["encoding"][0]["encodingFormat"], "text/html");
    }
}
