//! What changed between two versions of a submission, word by word: the
//! editor reviewing a resubmission reads what the focal point changed, not
//! the whole text again. Words are cut the way each script writes them:
//! runs of letters and digits for alphabetic scripts (Arabic and Cyrillic
//! included), one character at a time for Chinese, which puts no spaces
//! between words; spaces and punctuation are tokens of their own, so a
//! changed comma does not mark its word as changed.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffTag};
use utoipa::ToSchema;

/// A diff of two long bodies that takes longer than this falls back to a
/// coarser (still correct) answer instead of holding a request.
const PATIENCE: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    Equal,
    Insert,
    Delete,
}

/// A run of text that is the same in both versions, or only in the new
/// one (`insert`), or only in the old one (`delete`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Op {
    pub op: OpKind,
    pub text: String,
}

/// One field that changed: `title`, `practices[0].body`, `practices[1].items`…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Change {
    pub path: String,
    pub ops: Vec<Op>,
}

/// The changes between two saved versions of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct VersionDiff {
    pub from: i64,
    pub to: i64,
    /// Only the fields that differ; none when the content is the same.
    pub changes: Vec<Change>,
}

/// What a version holds that a reader of the diff cares about; read from
/// the saved version documents, whose other fields are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Version {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub practices: Vec<PracticeVersion>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PracticeVersion {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub items: Vec<u8>,
    #[serde(default)]
    pub sectors: Vec<String>,
}

/// The fields that differ between two versions, in the order a reader
/// meets them; practices are compared by position.
pub fn changes(old: &Version, new: &Version) -> Vec<Change> {
    let mut out = Vec::new();
    let mut field = |path: String, ops: Vec<Op>| {
        if ops.iter().any(|op| op.op != OpKind::Equal) {
            out.push(Change { path, ops });
        }
    };
    field("title".to_owned(), words(&old.title, &new.title));
    field(
        "summary".to_owned(),
        words(
            old.summary.as_deref().unwrap_or_default(),
            new.summary.as_deref().unwrap_or_default(),
        ),
    );
    field("language".to_owned(), words(&old.language, &new.language));
    let empty = PracticeVersion::default();
    for index in 0..old.practices.len().max(new.practices.len()) {
        let before = old.practices.get(index).unwrap_or(&empty);
        let after = new.practices.get(index).unwrap_or(&empty);
        let path = |name: &str| format!("practices[{index}].{name}");
        field(path("title"), words(&before.title, &after.title));
        field(path("body"), words(&before.body, &after.body));
        let items = |p: &PracticeVersion| p.items.iter().map(u8::to_string).collect::<Vec<_>>();
        field(path("items"), list(&items(before), &items(after)));
        field(path("sectors"), list(&before.sectors, &after.sectors));
    }
    out
}

/// A word-level diff of two texts.
pub fn words(old: &str, new: &str) -> Vec<Op> {
    let old_tokens = tokens(old);
    let new_tokens = tokens(new);
    merge(diff(&old_tokens, &new_tokens, &old_tokens, &new_tokens))
}

/// A diff of two lists (annex items, sectors), shown as their elements
/// separated by spaces.
pub fn list(old: &[String], new: &[String]) -> Vec<Op> {
    let spaced = |values: &[String]| -> Vec<String> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| if i == 0 { v.clone() } else { format!(" {v}") })
            .collect()
    };
    let (old_shown, new_shown) = (spaced(old), spaced(new));
    let old_refs: Vec<&str> = old_shown.iter().map(String::as_str).collect();
    let new_refs: Vec<&str> = new_shown.iter().map(String::as_str).collect();
    // Compared by value, shown with their separators.
    merge(diff(old, new, &old_refs, &new_refs))
}

fn diff<'a, T: Eq + std::hash::Hash + Ord>(
    old: &[T],
    new: &[T],
    old_text: &[&'a str],
    new_text: &[&'a str],
) -> Vec<(OpKind, &'a str)> {
    let deadline = Instant::now() + PATIENCE;
    let mut out = Vec::new();
    for op in similar::capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(deadline)) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let olds = old_text[old_range].iter().map(|t| (OpKind::Delete, *t));
        let news = new_text[new_range.clone()]
            .iter()
            .map(|t| (OpKind::Insert, *t));
        match tag {
            DiffTag::Equal => out.extend(new_text[new_range].iter().map(|t| (OpKind::Equal, *t))),
            DiffTag::Delete => out.extend(olds),
            DiffTag::Insert => out.extend(news),
            DiffTag::Replace => {
                out.extend(olds);
                out.extend(news);
            }
        }
    }
    out
}

/// Joins neighbouring tokens of the same kind into one run. A space
/// between two deleted (or two inserted) words joins their run rather
/// than splitting it into three.
fn merge(tokens: Vec<(OpKind, &str)>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::new();
    for (kind, text) in tokens {
        match out.last_mut() {
            Some(last) if last.op == kind => last.text.push_str(text),
            _ => out.push(Op {
                op: kind,
                text: text.to_owned(),
            }),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Space,
    /// A character that is a token by itself: punctuation, an ideograph.
    Alone,
}

fn class(c: char) -> Class {
    if c.is_whitespace() {
        Class::Space
    } else if is_ideographic(c) || !c.is_alphanumeric() && !is_mark(c) {
        Class::Alone
    } else {
        Class::Word
    }
}

/// Han, kana and Hangul syllables: scripts written without spaces between
/// words, where each character is compared by itself.
fn is_ideographic(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FA1F) // CJK extensions B–F, compatibility supplement
}

/// Combining marks (Arabic harakat, accents written apart) belong to the
/// word they sit on.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06ED | 0x200C | 0x200D)
}

/// The text cut into words, runs of space, and single other characters;
/// joined again they give the text back exactly.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<Class> = None;
    for (at, c) in text.char_indices() {
        let kind = class(c);
        let continues = current == Some(kind) && kind != Class::Alone;
        if !continues {
            if at > start {
                out.push(&text[start..at]);
            }
            start = at;
        }
        current = Some(kind);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(ops: &[Op]) -> String {
        ops.iter()
            .map(|op| match op.op {
                OpKind::Equal => op.text.clone(),
                OpKind::Insert => format!("[+{}]", op.text),
                OpKind::Delete => format!("[-{}]", op.text),
            })
            .collect()
    }

    #[test]
    fn tokens_give_the_text_back() {
        for text in [
            "A national CERT, since 2019.",
            "الفريق الوطني للاستجابة لحوادث الحاسوب",
            "国家计算机网络应急响应",
            "Реагирование на компьютерные инциденты",
            "",
            "  x\n\ny  ",
        ] {
            assert_eq!(tokens(text).concat(), text);
        }
    }

    #[test]
    fn english_words_change_as_words() {
        let ops = words(
            "The national team responds to incidents.",
            "The national CERT responds to major incidents.",
        );
        assert_eq!(
            shown(&ops),
            "The national [-team][+CERT] responds to [+major ]incidents."
        );
    }

    #[test]
    fn punctuation_is_its_own_token() {
        assert_eq!(
            shown(&words("incidents.", "incidents;")),
            "incidents[-.][+;]"
        );
    }

    #[test]
    fn arabic_words_keep_their_marks_and_change_whole() {
        let ops = words(
            "يتولى الفريق الوطني تنسيق الاستجابة",
            "يتولى المركز الوطني تنسيق الاستجابة",
        );
        assert_eq!(
            shown(&ops),
            "يتولى [-الفريق][+المركز] الوطني تنسيق الاستجابة"
        );
        // A word with harakat is one token, not letters and marks apart.
        assert_eq!(tokens("الأَمْن السيبراني").len(), 3);
    }

    #[test]
    fn chinese_changes_by_character() {
        let ops = words("国家应急响应中心负责协调", "国家网络应急中心负责协调");
        assert_eq!(shown(&ops), "国家[+网络]应急[-响应]中心负责协调");
        assert_eq!(tokens("应急响应").len(), 4);
    }

    #[test]
    fn identical_texts_are_one_equal_run() {
        let ops = words("same text", "same text");
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].op, OpKind::Equal);
        assert!(words("", "").is_empty());
    }

    #[test]
    fn lists_compare_their_values() {
        let old = vec!["4".to_owned(), "11".to_owned()];
        let new = vec!["11".to_owned(), "12".to_owned()];
        assert_eq!(shown(&list(&old, &new)), "[-4]11[+ 12]");
    }

    #[test]
    fn changes_name_only_the_fields_that_differ() {
        let practice = |title: &str, items: Vec<u8>| PracticeVersion {
            title: title.to_owned(),
            body: "Body.".to_owned(),
            items,
            sectors: vec!["energy".to_owned()],
        };
        let old = Version {
            title: "Reply".to_owned(),
            summary: None,
            language: "en".to_owned(),
            practices: vec![practice("Exercises", vec![11])],
        };
        let new = Version {
            practices: vec![
                practice("Exercises", vec![11, 12]),
                practice("Drills", vec![]),
            ],
            ..old.clone()
        };
        let paths: Vec<String> = changes(&old, &new).into_iter().map(|c| c.path).collect();
        assert_eq!(
            paths,
            [
                "practices[0].items",
                "practices[1].title",
                "practices[1].body",
                "practices[1].sectors"
            ]
        );
        assert!(changes(&old, &old).is_empty());
    }

    #[test]
    fn versions_are_read_from_saved_documents() {
        let document = r#"{"id":"s1","title":"T","language":"fr","status":"draft","version":2,
            "practices":[{"id":"p1","title":"P","body":"B","items":[4],"sectors":[],"suggested_items":[]}]}"#;
        let version: Version = serde_json::from_str(document).unwrap();
        assert_eq!(version.practices[0].items, [4]);
    }
}
