//! The reader's language: which of the six it is (`?lang=`, else the
//! browser's `Accept-Language`, else English) and the labels of pages and
//! published documents in it. The labels live in one TOML file per language
//! in `labels/`, compiled in; their keys are fields here, so a template
//! cannot ask for a label that does not exist, and the tests below refuse a
//! file that lacks one.

pub mod desk;

use std::sync::OnceLock;

use serde::Deserialize;

use crate::domain::assessment::AnswerStatus;
use crate::domain::entities::{EntityType, Region, RegionalGroup};
use crate::domain::language::Translations;
use crate::domain::Language;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub language_name: String,
    pub thousands_separator: String,
    pub site_name: String,
    pub site_tagline: String,
    pub skip_to_content: String,
    pub nav_label: String,
    pub nav_search: String,
    pub nav_compilations: String,
    pub nav_coverage: String,
    pub nav_api: String,
    pub language_menu: String,
    pub footer: String,

    pub search_heading: String,
    pub search_label: String,
    pub search_hint: String,
    pub search_placeholder: String,
    pub search_button: String,
    pub filters_heading: String,
    pub apply_filters: String,
    pub clear_filters: String,
    pub facet_section: String,
    pub facet_item: String,
    pub facet_entity_type: String,
    pub facet_region: String,
    pub facet_language: String,
    pub facet_year: String,
    pub any_year: String,
    pub results_heading: String,
    pub results_count: String,
    pub sort_label: String,
    pub sort_relevance: String,
    pub sort_newest: String,
    pub sort_button: String,
    pub no_results_title: String,
    pub no_results_words: String,
    pub no_results_filters: String,
    pub remove_filter: String,
    pub pagination_label: String,
    pub page_of: String,
    pub previous_page: String,
    pub next_page: String,
    pub section_label: String,
    pub item_label: String,
    pub accepted_on: String,

    pub practice_from: String,
    pub practice_language: String,
    pub practice_received: String,
    pub practice_accepted: String,
    pub practice_items: String,
    pub practice_note: String,
    /// `{language}`: the original's language, named in the reader's.
    pub translation_by_secretariat: String,
    /// The Organization's name, on a document's title page.
    pub united_nations: String,
    pub translation_by_focal_point: String,
    pub read_original: String,
    pub read_translation: String,
    /// Beside a search result the reader gets in a courtesy translation.
    pub result_translated: String,
    pub practice_submission: String,
    pub permalink: String,
    pub back_to_search: String,

    pub compilations_heading: String,
    pub compilations_intro: String,
    pub compilations_none: String,
    pub edition_number: String,
    pub draft: String,
    pub published_on: String,
    pub entries_count: String,
    pub contents: String,
    pub introduction: String,
    pub downloads: String,
    pub citation: String,
    pub also_items: String,
    pub column_edition: String,
    pub column_title: String,
    pub column_published: String,
    pub column_practices: String,

    pub coverage_heading: String,
    pub coverage_intro: String,
    pub coverage_by: String,
    pub by_region: String,
    pub by_regional_group: String,
    pub by_entity_type: String,
    pub by_entity: String,
    pub period_from: String,
    pub period_to: String,
    pub any_language: String,
    pub show_table: String,
    pub download_csv: String,
    pub column_other: String,
    pub column_total: String,
    pub cell_label: String,
    pub missing_heading: String,
    pub missing_none: String,
    pub pipeline_heading: String,

    pub also_searched: String,
    pub exact_search: String,
    pub mail_assessment_reminder_subject: String,
    pub mail_assessment_reminder_text: String,
    pub mail_assessment_reminder_closing: String,
    pub mail_changes_requested_subject: String,
    pub mail_changes_requested_text: String,
    pub mail_accepted_subject: String,
    pub mail_accepted_text: String,
    pub mail_rejected_subject: String,
    pub mail_rejected_text: String,
    pub mail_new_submission_subject: String,
    pub mail_new_submission_text: String,
    pub mail_resubmission_subject: String,
    pub mail_resubmission_text: String,
    pub mail_revision_subject: String,
    pub mail_revision_text: String,
    pub recommend_main_item: String,
    pub recommend_also_tagged: String,
    pub recommend_in_language: String,
    pub assessment_evidence: String,
    pub assessment_heading: String,
    pub assessment_draft: String,
    pub assessment_completed: String,
    pub assessment_status: String,
    pub assessment_maturity: String,
    pub assessment_no_narrative: String,
    pub mail_note: String,
    pub mail_open: String,
    pub mail_signature: String,
    pub mail_confirm_subject: String,
    pub mail_confirm_text: String,
    pub mail_confirm_ignore: String,
    pub mail_publication_subject: String,
    pub mail_publication_text: String,
    pub mail_read: String,
    pub mail_feed: String,
    pub mail_unsubscribe: String,
    pub mail_invitation_subject: String,
    pub mail_invitation_text: String,
    pub mail_reset_subject: String,
    pub mail_reset_text: String,
    pub mail_reset_ignore: String,
    pub subscription_confirmed_title: String,
    pub subscription_confirmed_text: String,
    pub subscription_invalid_title: String,
    pub subscription_invalid_text: String,
    pub unsubscribe_title: String,
    pub unsubscribe_text: String,
    pub unsubscribe_button: String,
    pub unsubscribed_title: String,
    pub unsubscribed_text: String,
    pub confirm_subscription_title: String,
    pub confirm_subscription_text: String,
    pub confirm_subscription_button: String,
    pub subscribe_title: String,
    pub subscribe_intro: String,
    pub subscribe_link: String,
    pub subscribe_email: String,
    pub subscribe_language: String,
    pub subscribe_sections: String,
    pub subscribe_button: String,
    pub subscribe_sent_title: String,
    pub subscribe_sent_text: String,
    pub practice_withdrawn_title: String,
    pub practice_withdrawn_text: String,

    pub not_found_title: String,
    pub not_found_text: String,
    pub not_found_home: String,
    pub bad_search_title: String,
    pub bad_search_text: String,
    pub unavailable_title: String,
    pub unavailable_text: String,

    pub entity_type: Names,
    pub region: Names,
    pub regional_group: Names,
    /// Where a State stands on an annex item, in its self-assessment.
    pub answer_status: Names,
    /// Each language's name in this one.
    pub language: Translations,
}

/// The names of an enum's values in one language, keyed by the names the
/// contract gives the values (`member_state`, `changes_requested`…): the
/// files name each value once, and a test checks that every value of
/// every enum shown has its name in all six languages.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Names(std::collections::BTreeMap<String, String>);

impl Names {
    /// The name of the value called `key`; a value the file does not know
    /// (written by a later version, such as an event's action) is shown by
    /// its own name.
    pub fn of<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map_or(key, String::as_str)
    }

    /// The keys that have no name here (or a blank one).
    #[cfg(test)]
    pub fn missing<'k>(&self, keys: &[&'k str]) -> Vec<&'k str> {
        let named = |key: &&str| self.0.get(*key).is_some_and(|n| !n.trim().is_empty());
        keys.iter().filter(|key| !named(key)).copied().collect()
    }
}

impl Labels {
    pub fn entity_type(&self, entity_type: EntityType) -> &str {
        self.entity_type.of(entity_type.as_str())
    }

    pub fn region(&self, region: Region) -> &str {
        self.region.of(region.as_str())
    }

    pub fn regional_group(&self, group: RegionalGroup) -> &str {
        self.regional_group.of(group.as_str())
    }

    pub fn answer_status(&self, status: AnswerStatus) -> &str {
        self.answer_status.of(status.as_str())
    }

    /// The name of a language in the reader's language ("French" to an
    /// English reader, "francés" to a Spanish one).
    pub fn language(&self, language: Language) -> &str {
        self.language.get(language)
    }

    /// A whole number with the language's thousands separator.
    pub fn number(&self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + 8);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(&self.thousands_separator);
            }
            out.push(digit);
        }
        out
    }
}

/// A label with its `{name}` places filled in.
/// Why a practice is recommended for an open item of a self-assessment,
/// in the reader's language: mainly about the item, or also tagged with
/// it; and whether it is written in the reader's language.
pub fn why_recommended(
    main_item: bool,
    item: crate::domain::annex::AnnexItem,
    in_reader_language: bool,
    reader: Language,
) -> String {
    let labels = labels(reader);
    let template = match main_item {
        true => &labels.recommend_main_item,
        false => &labels.recommend_also_tagged,
    };
    let number = item.number().to_string();
    let title = crate::domain::annex::annex().item(item).title.get(reader);
    let mut why = fill(template, &[("item", &number), ("title", title)]);
    if in_reader_language {
        why.push_str(" · ");
        why.push_str(&fill(
            &labels.recommend_in_language,
            &[("language", labels.language(reader))],
        ));
    }
    why
}

pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A label around one place, split so that the page can put markup (a
/// `<time>`) in the place: `("Accepted on ", "")` for "Accepted on {date}".
pub fn around<'a>(template: &'a str, name: &str) -> (&'a str, &'a str) {
    let place = format!("{{{name}}}");
    template.split_once(&place).unwrap_or((template, ""))
}

/// The compiled-in file of `$language` in the label folder `$folder`
/// (a path relative to the calling file).
macro_rules! label_file {
    ($folder:literal, $language:expr) => {
        match $language {
            Language::Ar => include_str!(concat!($folder, "/ar.toml")),
            Language::Zh => include_str!(concat!($folder, "/zh.toml")),
            Language::En => include_str!(concat!($folder, "/en.toml")),
            Language::Fr => include_str!(concat!($folder, "/fr.toml")),
            Language::Ru => include_str!(concat!($folder, "/ru.toml")),
            Language::Es => include_str!(concat!($folder, "/es.toml")),
        }
    };
}
pub(crate) use label_file;

fn source(language: Language) -> &'static str {
    label_file!("labels", language)
}

/// The labels of a language, parsed once. The files are compiled in and
/// checked by the tests, so a failure here is a broken build, not input.
pub fn labels(language: Language) -> &'static Labels {
    static ALL: OnceLock<Vec<Labels>> = OnceLock::new();
    parsed_once(&ALL, source, "labels", language)
}

/// One catalogue of labels per language, parsed from its compiled-in TOML
/// the first time any is asked for; `folder` names the files in a panic.
pub(crate) fn parsed_once<T: serde::de::DeserializeOwned>(
    all: &'static OnceLock<Vec<T>>,
    source: fn(Language) -> &'static str,
    folder: &str,
    language: Language,
) -> &'static T {
    let all = all.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|&language| {
                toml::from_str(source(language)).unwrap_or_else(|e| {
                    panic!("{folder}/{language}.toml is broken: {e}");
                })
            })
            .collect()
    });
    let position = Language::ALL
        .iter()
        .position(|&l| l == language)
        .unwrap_or_default();
    &all[position]
}

/// The language to answer in: an explicit `?lang=` wins, then the first
/// of the browser's preferences (by weight) that is one of the six, then
/// English. A `lang` that is not one of the six is ignored, not an error: a
/// reader who typed it still gets a page.
pub fn negotiate(requested: Option<&str>, accept_language: Option<&str>) -> Language {
    if let Some(language) = requested.and_then(|code| code.trim().parse::<Language>().ok()) {
        return language;
    }
    accept_language
        .and_then(preferred_of_accept_language)
        .unwrap_or_default()
}

fn preferred_of_accept_language(header: &str) -> Option<Language> {
    let mut choices: Vec<(f32, usize, Language)> = Vec::new();
    for (position, part) in header.split(',').enumerate() {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let weight = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
            .unwrap_or(0.0);
        if weight <= 0.0 {
            continue;
        }
        // "zh-Hant-TW" is Chinese, "es-419" Spanish: the primary subtag decides.
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if let Ok(language) = primary.to_ascii_lowercase().parse::<Language>() {
            choices.push((weight, position, language));
        }
    }
    choices.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    choices.first().map(|c| c.2)
}

/// What the tests of every label folder check of its files.
#[cfg(test)]
pub(crate) mod checks {
    use super::Language;

    /// The places a label fills (`{count}`, `{name}`…), in order of name.
    fn places(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    /// Every language's file has every label of the English one, none of
    /// them blank (but those named), each filling the same places; tables
    /// have the same keys.
    pub fn like_english(source: fn(Language) -> &'static str, may_be_blank: &[&str]) {
        let english: toml::Table = toml::from_str(source(Language::En)).unwrap();
        for language in Language::ALL {
            let table: toml::Table = toml::from_str(source(language)).unwrap();
            for (key, value) in &english {
                match (value, &table[key]) {
                    (toml::Value::String(en), toml::Value::String(theirs)) => {
                        let blank = theirs.trim().is_empty();
                        assert!(
                            !blank || may_be_blank.contains(&key.as_str()),
                            "{language}: {key}"
                        );
                        assert_eq!(places(en), places(theirs), "{language}: {key}");
                    }
                    (toml::Value::Table(en), toml::Value::Table(theirs)) => {
                        let keys = |t: &toml::Table| t.keys().cloned().collect::<Vec<_>>();
                        assert_eq!(keys(en), keys(theirs), "{language}: [{key}]");
                    }
                    _ => panic!("{language}: {key} has another shape than in English"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_is_whole_and_fills_the_same_places() {
        checks::like_english(source, &["thousands_separator"]);
        for language in Language::ALL {
            assert!(!labels(language).site_name.is_empty());
        }
    }

    #[test]
    fn every_entity_type_region_and_group_is_named_in_every_language() {
        for language in Language::ALL {
            let l = labels(language);
            let missing = [
                l.entity_type
                    .missing(&EntityType::ALL.map(EntityType::as_str)),
                l.region.missing(&Region::ALL.map(Region::as_str)),
                l.regional_group
                    .missing(&RegionalGroup::ALL.map(RegionalGroup::as_str)),
                l.answer_status
                    .missing(&AnswerStatus::ALL.map(AnswerStatus::as_str)),
            ];
            assert!(missing.iter().all(Vec::is_empty), "{language}: {missing:?}");
        }
    }

    #[test]
    fn the_switcher_names_each_language_in_itself() {
        let names: Vec<&str> = Language::ALL
            .iter()
            .map(|&l| labels(l).language_name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "العربية",
                "中文",
                "English",
                "Français",
                "Русский",
                "Español"
            ]
        );
    }

    #[test]
    fn explicit_language_wins_then_the_browser_then_english() {
        assert_eq!(negotiate(Some("ar"), Some("fr")), Language::Ar);
        assert_eq!(negotiate(Some("xx"), Some("fr-CH, en;q=0.8")), Language::Fr);
        assert_eq!(
            negotiate(None, Some("de-DE, es;q=0.5, ru;q=0.9")),
            Language::Ru
        );
        assert_eq!(negotiate(None, Some("zh-Hant-TW")), Language::Zh);
        assert_eq!(negotiate(None, Some("fr;q=0, de")), Language::En);
        assert_eq!(negotiate(None, Some("garbage;;q=x,,")), Language::En);
        assert_eq!(negotiate(None, None), Language::En);
    }

    #[test]
    fn numbers_are_grouped_the_way_each_language_writes_them() {
        assert_eq!(labels(Language::En).number(100000), "100,000");
        assert_eq!(
            labels(Language::Fr).number(1234567),
            "1\u{202F}234\u{202F}567"
        );
        assert_eq!(labels(Language::En).number(999), "999");
        assert_eq!(labels(Language::En).number(0), "0");
    }

    #[test]
    fn around_splits_at_the_place() {
        assert_eq!(around("Accepted on {date}", "date"), ("Accepted on ", ""));
        assert_eq!(around("接受日期：{date}", "date"), ("接受日期：", ""));
        assert_eq!(around("no place", "date"), ("no place", ""));
    }

    #[test]
    fn fill_replaces_every_named_place() {
        assert_eq!(
            fill("Page {page} of {pages}", &[("page", "2"), ("pages", "9")]),
            "Page 2 of 9"
        );
    }
}
