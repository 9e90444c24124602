//! One answer of a self-assessment: where the State stands on an annex
//! item, in its own words, with the evidence it points to. Input is read
//! loosely and checked all at once, each problem with its field path, as
//! a submission's is.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::annex::AnnexItem;
use crate::domain::text;
use crate::error::FieldError;

/// Where a State stands on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerStatus {
    NotStarted,
    InProgress,
    InPlace,
    NotApplicable,
}

impl AnswerStatus {
    pub const ALL: [AnswerStatus; 4] = [
        AnswerStatus::NotStarted,
        AnswerStatus::InProgress,
        AnswerStatus::InPlace,
        AnswerStatus::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AnswerStatus::NotStarted => "not_started",
            AnswerStatus::InProgress => "in_progress",
            AnswerStatus::InPlace => "in_place",
            AnswerStatus::NotApplicable => "not_applicable",
        }
    }

    /// Whether the item calls for further action ("highlight areas for
    /// further action", operative paragraph 1).
    pub fn is_gap(self) -> bool {
        matches!(self, AnswerStatus::NotStarted | AnswerStatus::InProgress)
    }
}

named_in_text!(AnswerStatus by as_str, |text| -> String {
    format!("unknown status '{text}': use not_started, in_progress, in_place or not_applicable")
});

pub const MAX_NARRATIVE_CHARS: usize = 20_000;
pub const MAX_EVIDENCE: usize = 10;
pub const MAX_LINK_CHARS: usize = 2_000;

/// An answer as kept and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Answer {
    #[schema(value_type = u8, minimum = 1, maximum = 18)]
    pub item: AnnexItem,
    pub status: AnswerStatus,
    /// Markdown, in the assessment's language.
    pub narrative: String,
    /// Links (http or https) to laws, strategies, reports.
    pub evidence: Vec<String>,
    /// How mature the State judges its effort, 1 (initial) to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 5)]
    pub maturity: Option<u8>,
}

impl Answer {
    pub fn not_started(item: AnnexItem) -> Answer {
        Answer {
            item,
            status: AnswerStatus::NotStarted,
            narrative: String::new(),
            evidence: Vec::new(),
            maturity: None,
        }
    }
}

/// An answer as a client sends it: the item and its status are required,
/// the rest left out is empty.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerDraft {
    #[serde(deserialize_with = "crate::json::integer")]
    #[schema(minimum = 1, maximum = 18)]
    pub item: i64,
    #[schema(value_type = AnswerStatus)]
    pub status: String,
    /// Markdown.
    #[serde(default)]
    #[schema(max_length = 20_000)]
    pub narrative: Option<String>,
    /// At most 10 http or https links.
    #[serde(default)]
    #[schema(max_items = 10, inline)]
    pub evidence: Option<Vec<EvidenceLink>>,
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[schema(minimum = 1, maximum = 5)]
    pub maturity: Option<i64>,
}

/// A link to evidence: an absolute http or https URL, written in ASCII
/// as a browser's address bar copies it (see [`is_link`]).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, max_length = 2000, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$")]
pub struct EvidenceLink(pub String);

/// The grammar the document's pattern states, exactly, so that what the
/// document calls valid is accepted and nothing else: `http` or `https`
/// in any case, `://`, a host of ASCII letters, digits, dots and hyphens,
/// an optional port of up to five digits, then a path, query or fragment
/// of printable ASCII. No user name or password can fit.
pub fn is_link(text: &str) -> bool {
    let lower = text
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        &text[8..]
    } else if lower.starts_with("http://") {
        &text[7..]
    } else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok && tail.bytes().all(|b| (b'!'..=b'~').contains(&b))
}

fn link(field: &str, given: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    if given.chars().count() > MAX_LINK_CHARS {
        errors.push(FieldError::new(field, "at most 2000 characters"));
        return None;
    }
    if !is_link(given) {
        errors.push(FieldError::new(
            field,
            "not a link: send an http or https URL as the browser's address bar shows it when copied (no spaces, no user name)",
        ));
        return None;
    }
    Some(given.to_owned())
}

/// Checks the answers of a save: each item at most once, every field by
/// its rule; answers them valid, or every problem found.
pub fn validate_answers(drafts: &[AnswerDraft]) -> Result<Vec<Answer>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut answers = Vec::with_capacity(drafts.len());
    for (index, draft) in drafts.iter().enumerate() {
        let path = format!("answers[{index}]");
        let item = u8::try_from(draft.item).ok().and_then(AnnexItem::new);
        match item {
            None => errors.push(FieldError::new(
                format!("{path}.item"),
                format!("{} is not an annex item (1 to 18)", draft.item),
            )),
            Some(item) if !seen.insert(item) => errors.push(FieldError::new(
                format!("{path}.item"),
                format!("item {item} is answered twice"),
            )),
            Some(_) => {}
        }
        let status = draft
            .status
            .parse::<AnswerStatus>()
            .map_err(|e| errors.push(FieldError::new(format!("{path}.status"), e)))
            .ok();
        let narrative = draft.narrative.as_deref().unwrap_or("").trim();
        let field = format!("{path}.narrative");
        if narrative.chars().count() > MAX_NARRATIVE_CHARS {
            errors.push(FieldError::new(
                &field,
                format!("at most {MAX_NARRATIVE_CHARS} characters"),
            ));
        }
        let narrative = text::multi_line(&field, narrative, &mut errors);
        let given: &[EvidenceLink] = draft.evidence.as_deref().unwrap_or(&[]);
        if given.len() > MAX_EVIDENCE {
            errors.push(FieldError::new(
                format!("{path}.evidence"),
                format!("at most {MAX_EVIDENCE} links"),
            ));
        }
        let evidence: Vec<String> = given
            .iter()
            .enumerate()
            .filter_map(|(i, l)| link(&format!("{path}.evidence[{i}]"), &l.0, &mut errors))
            .collect();
        let maturity = match draft.maturity {
            None => None,
            Some(level @ 1..=5) => u8::try_from(level).ok(),
            Some(other) => {
                errors.push(FieldError::new(
                    format!("{path}.maturity"),
                    format!("{other} is not a maturity level (1 to 5)"),
                ));
                None
            }
        };
        if let (Some(item), Some(status)) = (item, status) {
            answers.push(Answer {
                item,
                status,
                narrative,
                evidence,
                maturity,
            });
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(item: i64, status: &str) -> AnswerDraft {
        AnswerDraft {
            item,
            status: status.to_owned(),
            narrative: None,
            evidence: None,
            maturity: None,
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_partial_answer_is_valid_and_its_text_kept_composed() {
        let mut given = draft(11, "in_place");
        given.narrative = Some("  Le CERT-FR coordonne la re\u{301}ponse.  ".to_owned());
        given.evidence = Some(vec![EvidenceLink("https://cert.ssi.gouv.fr/".to_owned())]);
        given.maturity = Some(4);
        let answers = validate_answers(&[given, draft(2, "not_started")]).expect("valid");
        assert_eq!(answers[0].narrative, "Le CERT-FR coordonne la réponse.");
        assert_eq!(answers[0].evidence, ["https://cert.ssi.gouv.fr/"]);
        assert_eq!(answers[0].maturity, Some(4));
        assert_eq!(answers[1], Answer::not_started(AnnexItem::new(2).unwrap()));
    }

    #[test]
    fn every_broken_rule_is_named_with_its_path() {
        let mut bad = draft(19, "done");
        bad.maturity = Some(6);
        bad.narrative = Some("a\u{0}b".to_owned());
        let mut links = draft(4, "in_progress");
        links.evidence = Some(
            [
                "ftp://files.example/law.pdf",
                "javascript:alert(1)",
                "https://user:secret@gov.example/",
                "https://gov.example/a b",
                "/relative",
            ]
            .into_iter()
            .map(|l| EvidenceLink(l.to_owned()))
            .collect(),
        );
        let errors = validate_answers(&[bad, links, draft(4, "in_place")]).unwrap_err();
        assert_eq!(
            fields(errors),
            [
                "answers[0].item",
                "answers[0].status",
                "answers[0].narrative",
                "answers[0].maturity",
                "answers[1].evidence[0]",
                "answers[1].evidence[1]",
                "answers[1].evidence[2]",
                "answers[1].evidence[3]",
                "answers[1].evidence[4]",
                "answers[2].item",
            ]
        );
    }

    #[test]
    fn links_follow_the_documented_grammar() {
        for good in [
            "https://cert.ssi.gouv.fr/",
            "HTTP://gov.example:8080/a%20b?x=1#top",
            "https://xn--mgbh0fb.xn--wgbh1c",
            "http://10.0.0.1",
        ] {
            assert!(is_link(good), "{good}");
        }
        for bad in [
            "https://",
            "https://gov.example:123456/",
            "https://user@gov.example/",
            "https://gov.example/é",
            "https://gov.example/a b",
            "https://gov_example.org/",
            "mailto:focal@gov.example",
            "//gov.example",
        ] {
            assert!(!is_link(bad), "{bad}");
        }
    }

    #[test]
    fn at_most_ten_links() {
        let mut many = draft(1, "in_place");
        many.evidence = Some(
            (0..11)
                .map(|n| EvidenceLink(format!("https://gov.example/{n}")))
                .collect(),
        );
        assert_eq!(
            fields(validate_answers(&[many]).unwrap_err()),
            ["answers[0].evidence"]
        );
    }
}
