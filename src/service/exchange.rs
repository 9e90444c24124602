//! Import and export of submissions as JSON Lines, one submission a line:
//! `{entity, language, title, summary?, status?, received_at?, practices:
//! [{title, body, items?, sectors?}]}` (the format of
//! `shared/bench/gen_corpus.py`). Import is how the Secretariat enters
//! replies received on paper: every line is checked on its own, a bad line
//! is reported with its number and reason and nothing of it is stored.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use chrono::{DateTime, SubsecRound, Utc};

use super::submissions::{event_row, new_id, practices_from};
use super::translations::sent_translations;
use super::views::SubmissionView;
use crate::domain::account::Actor;
use crate::domain::clock;
use crate::domain::exchange::{Line, LinePractice, LineTranslation};
use crate::domain::page::Page;
use crate::domain::submission::Submission;
use crate::domain::submission::TranslationDraft;
use crate::domain::submission::{validate, PracticeDraft, SubmissionDraft};
use crate::domain::translation::{Origin, Translation, ValidText};
use crate::domain::workflow::Status;
use crate::domain::Language;
use crate::error::AppError;
use crate::store::catalogue::{self, Change};
use crate::store::history::{self, EventRow, VersionRow};
use crate::store::submissions::{self, ListFilter, PracticeRow, SubmissionRow};
use crate::store::write_transaction;
use crate::store::{organisations, statistics, translations, AnyConnection, Store};
use crate::tagging::Tagger;

/// A line that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub lines: usize,
    pub submissions: usize,
    pub practices: usize,
    pub refused: Vec<Refusal>,
}

/// Where an import stands, for a progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub bytes_read: u64,
    pub lines: usize,
    pub submissions: usize,
}

/// Submissions stored per transaction: large enough that commits do not
/// dominate, small enough that memory stays flat on any file.
const BATCH: usize = 1_000;

/// A line that passed every check: the submission, its entity's name and
/// its practices' courtesy translations.
struct Checked {
    submission: Submission,
    name: String,
    translations: Vec<Translation>,
}

/// Checks one line against every rule; the submission it describes.
fn check_line(
    line: Line,
    names: &HashMap<String, String>,
    now: DateTime<Utc>,
    tagger: &Tagger,
) -> Result<Checked, String> {
    let status = match line.status.as_deref() {
        None => Status::Submitted,
        Some(text) => text.parse::<Status>()?,
    };
    let received_at = match line.received_at.as_deref() {
        None => now,
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map_err(|e| format!("received_at: '{text}' is not an RFC 3339 time ({e})"))?
            .with_timezone(&Utc)
            .trunc_subsecs(0),
    };
    // Who made each translation, in the order the line gives them: the
    // line may say; the domain's check knows only the texts.
    let mut origins = Vec::new();
    for (practice, sent) in line.practices.iter().enumerate() {
        for (number, t) in sent.translations.iter().enumerate() {
            let origin = match t.origin.as_deref() {
                None => Origin::FocalPoint,
                Some(text) => text.parse().map_err(|e| {
                    format!("practices[{practice}].translations[{number}].origin: {e}")
                })?,
            };
            origins.push(origin);
        }
    }
    let draft = SubmissionDraft {
        entity: Some(line.entity),
        language: line.language,
        title: line.title,
        summary: line.summary,
        practices: line
            .practices
            .into_iter()
            .map(|p| PracticeDraft {
                title: p.title,
                body: p.body,
                items: p.items,
                sectors: p.sectors,
                replaces: None,
                translations: p
                    .translations
                    .into_iter()
                    .map(|t| TranslationDraft {
                        language: t.language,
                        title: t.title,
                        body: t.body,
                    })
                    .collect(),
            })
            .collect(),
    };
    let valid = validate(draft).map_err(|errors| {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let entity = valid.entity.clone().ok_or("entity: missing")?;
    let name = names
        .get(entity.as_str())
        .cloned()
        .ok_or_else(|| format!("entity: there is no entity {entity}"))?;
    let id = new_id();
    let decided = matches!(status, Status::Accepted | Status::Rejected);
    let sent: Vec<Vec<(Language, ValidText)>> = valid
        .practices
        .iter()
        .map(|p| p.translations.clone())
        .collect();
    let submission = Submission {
        practices: practices_from(valid.practices, &id, valid.language, received_at, tagger),
        id,
        entity,
        language: valid.language,
        title: valid.title,
        summary: valid.summary,
        status,
        version: 1,
        created_by: None,
        created_at: received_at,
        updated_at: received_at,
        submitted_at: (status != Status::Draft).then_some(received_at),
        decided_at: decided.then_some(received_at),
        editor_message: None,
        decision_note: None,
        revises: None,
    };
    // A line with a refused translation was refused whole above, so the
    // checked translations are those sent, in the same order.
    let mut translations = sent_translations(&submission.practices, sent, None, received_at);
    for (translation, origin) in translations.iter_mut().zip(origins) {
        translation.origin = origin;
    }
    Ok(Checked {
        submission,
        name,
        translations,
    })
}

fn by_practice(translations: &[Translation]) -> HashMap<String, Vec<Translation>> {
    let mut grouped: HashMap<String, Vec<Translation>> = HashMap::new();
    for t in translations {
        grouped
            .entry(t.practice_id.clone())
            .or_default()
            .push(t.clone());
    }
    grouped
}

/// Every entity's name by code: the reference list and the database's.
fn entity_names(connection: &mut AnyConnection) -> Result<HashMap<String, String>, AppError> {
    Ok(organisations::all_by_code(connection)?
        .into_iter()
        .map(|(code, entity)| (code, entity.name))
        .collect())
}

/// Stores checked submissions in one transaction, with their version 1,
/// their import event and, for accepted ones, their catalogue changes.
fn store_batch(
    connection: &mut AnyConnection,
    batch: &[Checked],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut submission_rows = Vec::with_capacity(batch.len());
    let mut practice_rows = Vec::new();
    let mut versions = Vec::with_capacity(batch.len());
    let mut events: Vec<EventRow> = Vec::with_capacity(batch.len());
    let mut published: Vec<(&str, &str)> = Vec::new();
    let mut translated: Vec<&Translation> = Vec::new();
    for Checked {
        submission,
        name,
        translations,
    } in batch
    {
        translated.extend(translations);
        submission_rows.push(SubmissionRow::from_submission(submission));
        practice_rows.extend(PracticeRow::all_of(submission));
        versions.push(VersionRow {
            submission_id: submission.id.clone(),
            version: 1,
            status: submission.status.as_str().to_owned(),
            saved_at: now.naive_utc(),
            document: SubmissionView::new(submission, name.clone())
                .with_translations(&by_practice(translations))
                .document()?,
        });
        events.push(event_row(
            &submission.id,
            &Actor::CommandLine,
            "import",
            None,
            Some(submission.status),
            None,
            now,
        ));
        if submission.status == Status::Accepted {
            published.extend(
                submission
                    .practices
                    .iter()
                    .map(|p| (p.id.as_str(), submission.id.as_str())),
            );
        }
    }
    write_transaction(connection, |c| {
        submissions::insert_many(c, &submission_rows, &practice_rows)?;
        history::insert_versions(c, &versions)?;
        history::insert_events(c, &events)?;
        translations::insert_many(c, &translated)?;
        catalogue::append(c, &published, Change::Upsert, now)
    })
}

/// Imports a JSON Lines stream. With `dry_run`, checks every line and
/// stores nothing.
pub fn import(
    connection: &mut AnyConnection,
    input: impl BufRead,
    dry_run: bool,
    tagger: &Tagger,
    mut progress: impl FnMut(Progress),
) -> Result<ImportReport, AppError> {
    let now = clock::now();
    let names = entity_names(connection)?;
    let mut report = ImportReport::default();
    let mut batch = Vec::with_capacity(BATCH);
    let mut bytes_read = 0u64;
    for (index, line) in input.lines().enumerate() {
        let number = index + 1;
        let line =
            line.map_err(|e| AppError::bad_request(format!("line {number} cannot be read: {e}")))?;
        bytes_read += line.len() as u64 + 1;
        report.lines = number;
        if line.trim().is_empty() {
            continue;
        }
        let checked = serde_json::from_str::<Line>(&line)
            .map_err(|e| format!("not a submission line: {e}"))
            .and_then(|parsed| check_line(parsed, &names, now, tagger));
        match checked {
            Ok(submission) => {
                report.submissions += 1;
                report.practices += submission.submission.practices.len();
                batch.push(submission);
            }
            Err(reason) => report.refused.push(Refusal {
                line: number,
                reason,
            }),
        }
        if batch.len() == BATCH {
            if !dry_run {
                store_batch(connection, &batch, now)?;
            }
            batch.clear();
            progress(Progress {
                bytes_read,
                lines: report.lines,
                submissions: report.submissions,
            });
        }
    }
    if !dry_run && !batch.is_empty() {
        store_batch(connection, &batch, now)?;
    }
    if !dry_run && report.submissions > 0 {
        // What was read lands in tables the planner may think empty.
        statistics::refresh(connection)?;
    }
    progress(Progress {
        bytes_read,
        lines: report.lines,
        submissions: report.submissions,
    });
    Ok(report)
}

/// Writes every submission, oldest first; answers how many. Revisions are
/// left out: the import format has no way to say what one corrects, and an
/// accepted revision's content is its original's by then.
pub fn export(store: &Store, mut output: impl Write) -> Result<usize, AppError> {
    let mut connection = store.blocking_connection().map_err(AppError::internal)?;
    let filter = ListFilter {
        entities: None,
        statuses: Vec::new(),
        ..ListFilter::default()
    };
    let mut page = Page {
        limit: 1_000,
        after: None,
    };
    let mut written = 0;
    loop {
        let mut heads = submissions::list(&mut connection, &filter, &page)?;
        let more = heads.len() > page.limit as usize;
        heads.truncate(page.limit as usize);
        let ids: Vec<String> = heads.iter().map(|h| h.submission.id.clone()).collect();
        let mut practices = submissions::practices_of(&mut connection, &ids)?;
        let practice_ids: Vec<&str> = practices
            .values()
            .flatten()
            .map(|p| p.id.as_str())
            .collect();
        let mut translated = translations::of_practices(&mut connection, &practice_ids)?;
        for head in &heads {
            let submission = &head.submission;
            if submission.revises.is_some() {
                continue;
            }
            let line = Line {
                entity: submission.entity.to_string(),
                language: submission.language.code().to_owned(),
                title: submission.title.clone(),
                summary: submission.summary.clone(),
                status: Some(submission.status.as_str().to_owned()),
                received_at: Some(
                    submission
                        .submitted_at
                        .unwrap_or(submission.created_at)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ),
                practices: practices
                    .remove(&submission.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| LinePractice {
                        translations: translated
                            .remove(&p.id)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|t| LineTranslation {
                                language: t.language.code().to_owned(),
                                title: t.title,
                                body: t.body,
                                origin: Some(t.origin.as_str().to_owned()),
                            })
                            .collect(),
                        title: p.title,
                        body: p.body,
                        items: p.items.iter().map(|i| i64::from(i.number())).collect(),
                        sectors: p.sectors.iter().map(|s| s.as_str().to_owned()).collect(),
                    })
                    .collect(),
            };
            let text = serde_json::to_string(&line).map_err(AppError::internal)?;
            writeln!(output, "{text}")
                .map_err(|e| AppError::internal(format!("writing the export: {e}")))?;
            written += 1;
        }
        match (more, ids.last()) {
            (true, Some(last)) => page.after = Some(last.clone()),
            _ => break,
        }
    }
    output
        .flush()
        .map_err(|e| AppError::internal(format!("writing the export: {e}")))?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> HashMap<String, String> {
        HashMap::from([("FRA".to_owned(), "France".to_owned())])
    }

    fn line(json: &str) -> Result<(Submission, String), String> {
        checked(json).map(|c| (c.submission, c.name))
    }

    fn checked(json: &str) -> Result<Checked, String> {
        let parsed: Line = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let tagger = Tagger::new().map_err(|e| e.to_string())?;
        check_line(parsed, &names(), clock::now(), &tagger)
    }

    #[test]
    fn a_line_carries_its_practices_translations_checked() {
        let line = checked(
            r#"{"entity":"FRA","language":"fr","title":"t","practices":[{"title":"CERT-FR","body":"équipe","translations":[{"language":"es","title":" CERT-FR ","body":"equipo"},{"language":"en","title":"CERT-FR","body":"team","origin":"secretariat"}]}]}"#,
        )
        .unwrap();
        let practice = &line.submission.practices[0].id;
        let found: Vec<_> = line
            .translations
            .iter()
            .map(|t| {
                (
                    t.practice_id == *practice,
                    t.language.code(),
                    t.title.as_str(),
                    t.origin,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (true, "es", "CERT-FR", Origin::FocalPoint),
                (true, "en", "CERT-FR", Origin::Secretariat)
            ]
        );
        let twice = checked(
            r#"{"entity":"FRA","language":"fr","title":"t","practices":[{"title":"t","body":"b","translations":[{"language":"es","title":"t","body":"b"},{"language":"es","title":"t","body":"b"}]}]}"#,
        );
        assert!(twice
            .err()
            .unwrap_or_default()
            .contains("translations[1].language: a second translation into es"));
        let origin = checked(
            r#"{"entity":"FRA","language":"fr","title":"t","practices":[{"title":"t","body":"b","translations":[{"language":"es","title":"t","body":"b","origin":"robot"}]}]}"#,
        );
        assert!(origin
            .err()
            .unwrap_or_default()
            .contains("translations[0].origin"));
    }

    #[test]
    fn a_corpus_line_becomes_an_accepted_submission_dated_when_received() {
        let (submission, name) = line(
            r#"{"entity":"FRA","language":"fr","title":"Bonnes pratiques","status":"accepted","received_at":"2019-05-04T12:00:00Z","practices":[{"title":"CERT-FR","body":"équipe nationale","items":[11]}]}"#,
        )
        .unwrap();
        assert_eq!(name, "France");
        assert_eq!(submission.status, Status::Accepted);
        assert_eq!(
            submission.decided_at.unwrap().to_rfc3339(),
            "2019-05-04T12:00:00+00:00"
        );
        assert_eq!(submission.practices[0].items[0].number(), 11);
    }

    #[test]
    fn bad_lines_say_why() {
        let unknown = line(
            r#"{"entity":"XYZ","language":"en","title":"t","practices":[{"title":"t","body":"b"}]}"#,
        );
        assert!(unknown.unwrap_err().contains("there is no entity XYZ"));
        let status = line(
            r#"{"entity":"FRA","language":"en","title":"t","status":"approved","practices":[{"title":"t","body":"b"}]}"#,
        );
        assert!(status.unwrap_err().contains("unknown status"));
        let time = line(
            r#"{"entity":"FRA","language":"en","title":"t","received_at":"yesterday","practices":[{"title":"t","body":"b"}]}"#,
        );
        assert!(time.unwrap_err().contains("received_at"));
        let items = line(
            r#"{"entity":"FRA","language":"en","title":"t","practices":[{"title":"t","body":"b","items":[19]}]}"#,
        );
        assert!(items.unwrap_err().contains("practices[0].items[0]"));
    }

    #[test]
    fn a_line_without_status_is_submitted_now() {
        let (submission, _) = line(r#"{"entity":"FRA","language":"en","title":"t","practices":[{"title":"t","body":"b"}]}"#).unwrap();
        assert_eq!(submission.status, Status::Submitted);
        assert!(submission.decided_at.is_none() && submission.submitted_at.is_some());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn json_like() -> impl Strategy<Value = String> {
            const PIECES: &[&str] = &[
                "{",
                "}",
                "[",
                "]",
                ",",
                ":",
                "\"entity\"",
                "\"FRA\"",
                "\"language\"",
                "\"fr\"",
                "\"title\"",
                "\"practices\"",
                "\"items\"",
                "\"status\"",
                "\"accepted\"",
                "\"received_at\"",
                "\"2026-13-45T99:00:00Z\"",
                "\"body\"",
                "1",
                "19",
                "-1",
                "1e400",
                "null",
                "true",
                "\"\"",
                "\"x\"",
                " ",
            ];
            crate::testing::texts_of(PIECES, 60)
        }

        proptest! {
            #![proptest_config(crate::testing::config())]

            #[test]
            fn any_line_is_taken_or_refused_never_a_panic(text in any::<String>()) {
                let _ = line(&text);
            }

            #[test]
            fn json_shaped_lines_are_taken_or_refused(text in json_like()) {
                if let Ok((submission, _)) = line(&text) {
                    prop_assert!(!submission.practices.is_empty());
                }
            }
        }
    }
}
