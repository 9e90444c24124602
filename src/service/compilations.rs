//! The use cases of compilations, each one transaction: create a draft,
//! change and reassemble it, publish it as a numbered edition. Drafts
//! keep the entries of their last assembly, so an editor reviews exactly
//! what would be published and sees what changed in the catalogue since.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Utc};

use crate::domain::account::Actor;
use crate::domain::annex::SectionId;
use crate::domain::compilation::Compilation;
use crate::domain::compilation::CompilationStatus;
use crate::domain::compilation::{
    self, assemble, Assembly, Drift, EditionNumber, Entry, Scope, MAX_EXCLUDED,
    MAX_INTRODUCTION_CHARS, MAX_TITLE_CHARS,
};
use crate::domain::notice::{Notice, PublicationNotice};
use crate::domain::outbox::NewMail;
use crate::domain::page::Page;
use crate::domain::text;
use crate::domain::translation::Translation;
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::store::audit;
use crate::store::catalogue;
use crate::store::compilations::{self, Text};
use crate::store::outbox;
use crate::store::subscriptions;
use crate::store::translations;
use crate::store::users::{self, Recipients};
use crate::store::{write_transaction, AnyConnection};

/// What an editor gives to start a compilation.
pub struct NewCompilation {
    pub title: String,
    pub introduction: Option<String>,
    pub scope: Scope,
}

/// What an editor may change in a draft; `None` keeps the present value.
#[derive(Default)]
pub struct Changes {
    pub title: Option<String>,
    pub introduction: Option<Option<String>>,
    pub scope: Option<Scope>,
    /// As sent: bounded with repeats counted, as the document bounds it.
    pub excluded: Option<Vec<String>>,
}

fn check_title(given: &str, errors: &mut Vec<FieldError>) -> String {
    // Counted as sent, as the document's `maxLength` counts; kept trimmed.
    let title = given.trim();
    if title.is_empty() || given.chars().count() > MAX_TITLE_CHARS {
        errors.push(FieldError::new(
            "title",
            format!("must have 1 to {MAX_TITLE_CHARS} characters"),
        ));
    }
    text::one_line("title", title, errors)
}

fn check_introduction(given: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let given = given.map(str::trim).filter(|t| !t.is_empty())?;
    if given.chars().count() > MAX_INTRODUCTION_CHARS {
        errors.push(FieldError::new(
            "introduction",
            format!("may have at most {MAX_INTRODUCTION_CHARS} characters"),
        ));
    }
    Some(text::multi_line("introduction", given, errors))
}

/// What the audit trail keeps of a compilation: not its entries, which
/// are kept with it.
fn summary(compilation: &Compilation) -> serde_json::Value {
    serde_json::json!({
        "title": compilation.title,
        "status": compilation.status.as_str(),
        "number": compilation.number.map(|n| n.to_string()),
        "scope": compilation.scope,
        "excluded_practices": compilation.excluded,
        "entries_count": compilation.entries_count,
        "version": compilation.version,
    })
}

fn record(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    action: &str,
    before: Option<&Compilation>,
    after: &Compilation,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit::record(
        connection,
        audit::Entry {
            actor: *actor,
            action,
            target_type: "compilation",
            target_id: &after.id,
            before: before.map(summary),
            after: Some(summary(after)),
        },
        now,
    )
}

/// Saves a compilation that was assembled anew, with its entries, and
/// audits the change from `before`.
fn save_assembled(
    c: &mut AnyConnection,
    actor: &Actor<'_>,
    action: &str,
    before: &Compilation,
    compilation: &Compilation,
    entries: &[Entry],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    compilations::save(c, compilation)?;
    compilations::replace_entries(c, &compilation.id, entries)?;
    record(c, actor, action, Some(before), compilation, now)
}

/// Practices changed since an assembly past which comparing them one by
/// one costs more than assembling the whole scope again.
const DRIFT_ONE_BY_ONE: i64 = 500;

/// Assembles from the catalogue as it is now (of the practices `among`,
/// or all of them), noting the last catalogue change it has seen.
fn assemble_now(
    connection: &mut AnyConnection,
    scope: &Scope,
    excluded: &BTreeSet<String>,
    text: Text,
    among: Option<&[String]>,
) -> Result<Assembly, AppError> {
    // Read before the candidates: a change that commits in between has a
    // later number, so the next comparison looks at it again; none is
    // missed (catalogue changes commit in the order of their numbers).
    let through = catalogue::last_sequence(connection)?;
    let candidates = compilations::candidates(connection, scope, text, among)?;
    Ok(assemble(candidates, scope, excluded).as_of(through))
}

/// A draft's entries as its scope and exclusions give them now.
fn reassembled(connection: &mut AnyConnection, draft: &Compilation) -> Result<Assembly, AppError> {
    assemble_now(connection, &draft.scope, &draft.excluded, Text::Whole, None)
}

/// Starts a draft, assembled at once.
pub fn create(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    new: NewCompilation,
    now: DateTime<Utc>,
) -> Result<(Compilation, Vec<Entry>), AppError> {
    let mut errors = Vec::new();
    let title = check_title(&new.title, &mut errors);
    let introduction = check_introduction(new.introduction.as_deref(), &mut errors);
    new.scope.check(&mut errors);
    if !errors.is_empty() {
        return Err(AppError::unprocessable(errors));
    }
    let scope = new.scope.normalized();
    write_transaction(connection, |c| {
        let assembly = assemble_now(c, &scope, &BTreeSet::new(), Text::Whole, None)?;
        let compilation = Compilation {
            id: uuid::Uuid::now_v7().to_string(),
            status: CompilationStatus::Draft,
            title,
            introduction,
            scope,
            excluded: BTreeSet::new(),
            untagged: assembly.untagged,
            entries_count: assembly.entries.len() as i64,
            version: 1,
            number: None,
            created_by: actor.user_id(),
            created_at: now,
            updated_at: now,
            assembled_at: now,
            published_at: None,
            published_by: None,
            assembled_through: assembly.through,
        };
        compilations::insert(c, &compilation)?;
        compilations::replace_entries(c, &compilation.id, &assembly.entries)?;
        record(c, actor, "compilation.create", None, &compilation, now)?;
        Ok((compilation, assembly.entries))
    })
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("there is no compilation {id}"))
}

/// A compilation and its entries, if the reader may see it: editions for
/// anyone, drafts only when `with_drafts` (editors); otherwise a 404, so a
/// draft's existence is not revealed.
pub fn visible(
    connection: &mut AnyConnection,
    id: &str,
    with_drafts: bool,
) -> Result<(Compilation, Vec<Entry>), AppError> {
    let compilation = compilations::find(connection, id)?
        .filter(|found| with_drafts || found.status == CompilationStatus::Published)
        .ok_or_else(|| not_found(id))?;
    let entries = compilations::entries_of(connection, id)?;
    Ok((compilation, entries))
}

/// The courtesy translations into `language` of the practices `entries`
/// cite: what an edition read in that language shows in their place.
pub fn translations_of(
    connection: &mut AnyConnection,
    entries: &[Entry],
    language: Language,
) -> Result<Vec<Translation>, AppError> {
    let mut ids: Vec<&str> = entries
        .iter()
        .map(|e| e.source.practice_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    translations::of_practices_into(connection, &ids, language)
}

/// The compilation if it may still change: a draft, at the version the
/// caller last saw when it says which (`If-Match`).
/// What reassembling a draft now would change, read without the texts
/// (the desk's check, which shows no entries of its own).
pub fn drift_of(connection: &mut AnyConnection, id: &str) -> Result<Drift, AppError> {
    let compilation = compilations::find(connection, id)?.ok_or_else(|| not_found(id))?;
    drift(connection, &compilation)
}

/// A compilation with a window of its entries (a page of a long draft):
/// `count` entries from position `first`.
pub fn visible_window(
    connection: &mut AnyConnection,
    id: &str,
    first: i64,
    count: i64,
) -> Result<(Compilation, Vec<Entry>), AppError> {
    let compilation = compilations::find(connection, id)?.ok_or_else(|| not_found(id))?;
    let entries = compilations::entries_between(connection, id, first, count)?;
    Ok((compilation, entries))
}

fn changeable(
    connection: &mut AnyConnection,
    id: &str,
    expected_version: Option<i64>,
) -> Result<Compilation, AppError> {
    let compilation = compilations::find(connection, id)?.ok_or_else(|| not_found(id))?;
    if let Some(number) = compilation.number {
        return Err(AppError::Conflict(format!(
            "compilation {id} was published as edition {number}; a published edition never changes"
        )));
    }
    if let Some(expected) = expected_version {
        if expected != compilation.version {
            return Err(AppError::PreconditionFailed(format!(
                "compilation {id} is at version {}, not {expected}: fetch it again",
                compilation.version
            )));
        }
    }
    Ok(compilation)
}

/// Changes a draft and reassembles it from the catalogue as it is now.
pub fn update(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    id: &str,
    expected_version: Option<i64>,
    changes: Changes,
    now: DateTime<Utc>,
) -> Result<(Compilation, Vec<Entry>), AppError> {
    let mut errors = Vec::new();
    let title = changes
        .title
        .as_deref()
        .map(|t| check_title(t, &mut errors));
    let introduction = changes
        .introduction
        .as_ref()
        .map(|text| check_introduction(text.as_deref(), &mut errors));
    if let Some(scope) = &changes.scope {
        scope.check(&mut errors);
    }
    if changes
        .excluded
        .as_ref()
        .is_some_and(|e| e.len() > MAX_EXCLUDED)
    {
        errors.push(FieldError::new(
            "excluded_practices",
            format!("may name at most {MAX_EXCLUDED} practices"),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::unprocessable(errors));
    }
    write_transaction(connection, |c| {
        compilations::lock_editions(c)?;
        let mut compilation = changeable(c, id, expected_version)?;
        let before = compilation.clone();
        if let Some(title) = title {
            compilation.title = title;
        }
        if let Some(introduction) = introduction {
            compilation.introduction = introduction;
        }
        if let Some(scope) = changes.scope {
            compilation.scope = scope.normalized();
        }
        if let Some(excluded) = changes.excluded {
            compilation.excluded = excluded.into_iter().collect();
        }
        let assembly = reassembled(c, &compilation)?;
        compilation.reassemble(&assembly, now);
        let action = "compilation.update";
        save_assembled(
            c,
            actor,
            action,
            &before,
            &compilation,
            &assembly.entries,
            now,
        )?;
        Ok((compilation, assembly.entries))
    })
}

/// Publishes a draft: reassembles it from the catalogue at this moment,
/// freezes those entries and gives the edition the next number of the year.
pub fn publish(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    id: &str,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Compilation, Vec<Entry>), AppError> {
    write_transaction(connection, |c| {
        compilations::lock_editions(c)?;
        let mut compilation = changeable(c, id, expected_version)?;
        let before = compilation.clone();
        let assembly = reassembled(c, &compilation)?;
        // The request is fine; the draft as it stands is not publishable.
        if assembly.entries.is_empty() {
            return Err(AppError::Conflict(format!(
                "compilation {id} has no practice in its scope: there is nothing to publish"
            )));
        }
        let highest = compilations::highest_rank(c, now.year())?;
        let number = EditionNumber::next(now, highest);
        compilation.publish(&assembly, number, actor.user_id(), now);
        let action = "compilation.publish";
        save_assembled(
            c,
            actor,
            action,
            &before,
            &compilation,
            &assembly.entries,
            now,
        )?;
        announce(c, &compilation, &assembly.entries, now)?;
        Ok((compilation, assembly.entries))
    })
}

/// Queues the announcement of a new edition: to every confirmed subscriber
/// whose sections it covers (in their language, with a way out), and to
/// every focal point (in English) who is not also such a subscriber.
fn announce(
    connection: &mut AnyConnection,
    compilation: &Compilation,
    entries: &[Entry],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(number) = compilation.number else {
        return Ok(());
    };
    let mut counts: BTreeMap<SectionId, i64> = BTreeMap::new();
    for entry in entries {
        *counts.entry(entry.section()).or_default() += 1;
    }
    let notice = |subscription: Option<(String, String)>| {
        let (subscription_id, subscription_nonce) = subscription.unzip();
        Notice::Publication(PublicationNotice {
            compilation_id: compilation.id.clone(),
            number: number.to_string(),
            title: compilation.title.clone(),
            sections: counts.iter().map(|(s, n)| (*s, *n)).collect(),
            subscription_id,
            subscription_nonce: subscription_nonce.unwrap_or_default(),
        })
    };
    let mut mails = Vec::new();
    let mut told = BTreeSet::new();
    for subscriber in subscriptions::confirmed(connection)? {
        let wanted = subscriber.sections.is_empty()
            || subscriber.sections.iter().any(|s| counts.contains_key(s));
        if wanted {
            told.insert(subscriber.email.clone());
            mails.push(NewMail {
                recipient: subscriber.email,
                language: subscriber.language,
                notice: notice(Some((subscriber.id, subscriber.link_nonce))),
            });
        }
    }
    for email in users::emails_of(connection, Recipients::AllFocalPoints)? {
        if !told.contains(&email) {
            mails.push(NewMail {
                recipient: email,
                language: Language::En,
                notice: notice(None),
            });
        }
    }
    outbox::enqueue(connection, &mails, now)
}

/// What reassembling a draft now would change (nothing for an edition).
/// Only a practice the catalogue changed since the assembly can differ, so
/// those are compared, usually a few or none; after a long while the whole
/// scope is. Comparing needs ids and items, not the texts.
pub fn drift(connection: &mut AnyConnection, compilation: &Compilation) -> Result<Drift, AppError> {
    if compilation.status == CompilationStatus::Published {
        return Ok(Drift::default());
    }
    let since = compilation.assembled_through;
    let changed = catalogue::practices_changed_after(connection, since, DRIFT_ONE_BY_ONE + 1)?;
    if changed.is_empty() {
        return Ok(Drift::default());
    }
    let among = (changed.len() as i64 <= DRIFT_ONE_BY_ONE).then_some(changed.as_slice());
    let then = compilations::entries_with(connection, &compilation.id, Text::Bare, among)?;
    let (scope, excluded) = (&compilation.scope, &compilation.excluded);
    let now = assemble_now(connection, scope, excluded, Text::Bare, among)?;
    Ok(compilation::drift(&then, &now.entries))
}

/// A page of the compilations, newest first; drafts only for those who may see them.
pub fn list(
    connection: &mut AnyConnection,
    with_drafts: bool,
    page: &Page,
) -> Result<Vec<Compilation>, AppError> {
    compilations::list(connection, with_drafts, page)
}

/// The newest published editions, at most `limit`: what the reader's list
/// and the feed show.
pub fn published(connection: &mut AnyConnection, limit: i64) -> Result<Vec<Compilation>, AppError> {
    compilations::published(connection, limit)
}
