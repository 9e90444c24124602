//! The use cases of self-assessments: start one (from last year's answers),
//! save answers, complete, share and unshare, read the gaps with the
//! practices other States shared for them, compare two years, and turn an
//! answered item into a draft submission (paragraph 1 feeding paragraph 2).
//! Each write is one transaction with its version snapshot and its event.

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::idempotency::Once;
use super::submissions::{self as intake, actor_fields, new_id, Outcome as SubmissionOutcome};
use crate::domain::account::Actor;
use crate::domain::annex::{annex, AnnexItem};
use crate::domain::assessment::{
    self, Answer, AnswerStatus, Assessment, AssessmentMove, AssessmentStatus, ItemChange, Unchanged,
};
use crate::domain::entities::{EntityCode, EntityType};
use crate::domain::page::Page;
use crate::domain::submission::{ValidPractice, ValidSubmission};
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::search::recommend::Recommendation;
use crate::search::SearchIndex;
pub use crate::store::assessments::Listed;
use crate::store::assessments::{self as rows, EventRow, VersionRow};
use crate::store::{organisations, write_transaction, AnyConnection};
use crate::tagging::Tagger;

/// A self-assessment as the API shows it, and as each version keeps it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: String,
    #[schema(example = "KEN")]
    pub entity: String,
    #[schema(example = "Kenya")]
    pub entity_name: String,
    #[schema(example = 2026)]
    pub year: i32,
    pub language: Language,
    pub status: AssessmentStatus,
    /// Whether the Secretariat may read it.
    pub shared: bool,
    /// Counts every saved state from 1; the ETag is `"v<version>"`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<Utc>>,
    /// Eighteen, in annex order.
    pub answers: Vec<Answer>,
}

impl AssessmentView {
    pub fn new(a: &Assessment, entity_name: String) -> AssessmentView {
        AssessmentView {
            id: a.id.clone(),
            entity: a.entity.to_string(),
            entity_name,
            year: a.year,
            language: a.language,
            status: a.status,
            shared: a.shared,
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
            completed_at: a.completed_at,
            answers: a.answers.clone(),
        }
    }
}

/// What a use case answers: the assessment as now saved, and its document.
pub struct Outcome {
    pub view: AssessmentView,
    pub document: String,
}

/// Decides, with the assessment loaded, whether the caller may go on.
pub type Guard<'a> = super::Guard<'a, Assessment>;

fn record(
    connection: &mut AnyConnection,
    assessment: &Assessment,
    actor: &Actor<'_>,
    action: &str,
    message: Option<String>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let (actor_id, actor) = actor_fields(actor);
    rows::insert_event(
        connection,
        &EventRow {
            id: new_id(),
            assessment_id: assessment.id.clone(),
            at: now.naive_utc(),
            actor_id,
            actor,
            action: action.to_owned(),
            message,
        },
    )?;
    snapshot(connection, assessment, now)
}

/// The answer for an assessment as it is, when a request changed nothing.
fn as_it_is(connection: &mut AnyConnection, assessment: &Assessment) -> Result<Outcome, AppError> {
    let name = intake::entity_name(connection, &assessment.entity)?;
    let view = AssessmentView::new(assessment, name);
    let document = serde_json::to_string(&view)
        .map_err(|e| AppError::internal(format!("serializing an assessment: {e}")))?;
    Ok(Outcome { view, document })
}

/// Keeps the assessment as it now is as its version.
fn snapshot(
    connection: &mut AnyConnection,
    assessment: &Assessment,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let Outcome { view, document } = as_it_is(connection, assessment)?;
    rows::insert_version(
        connection,
        &VersionRow {
            assessment_id: assessment.id.clone(),
            version: assessment.version,
            saved_at: now.naive_utc(),
            document: document.clone(),
        },
    )?;
    Ok(Outcome { view, document })
}

/// Whether `code` names a Member State (the tool is theirs).
pub fn is_member_state(
    connection: &mut AnyConnection,
    code: &EntityCode,
) -> Result<bool, AppError> {
    Ok(organisations::lookup(connection, code)?
        .is_some_and(|e| e.entity_type == EntityType::MemberState))
}

/// Starts the State's assessment of `year`; from its latest earlier one's
/// answers unless `blank`. One per State and year (409).
pub fn create(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    entity: EntityCode,
    year: i32,
    language: Language,
    blank: bool,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    write_transaction(connection, |c| {
        let previous = match blank {
            true => None,
            false => rows::latest_before(c, &entity, year)?,
        };
        let assessment = Assessment::new(
            new_id(),
            entity.clone(),
            year,
            language,
            previous.as_ref(),
            actor.user_id(),
            now,
        );
        if !rows::insert(c, &assessment)? {
            return Err(AppError::Conflict(format!(
                "{entity} has an assessment for {year} already: see GET /api/v1/assessments"
            )));
        }
        let message = previous.map(|p| format!("started from the assessment of {}", p.year));
        record(c, &assessment, actor, "create", message, now)
    })
}

/// The assessment, if it exists and `guard` lets the caller on.
pub fn load(c: &mut AnyConnection, id: &str, guard: Guard<'_>) -> Result<Assessment, AppError> {
    super::guarded(rows::find(c, id)?, "assessment", id, guard)
}

/// The assessment with its State's name, for reading.
pub fn visible(
    connection: &mut AnyConnection,
    id: &str,
    guard: Guard<'_>,
) -> Result<AssessmentView, AppError> {
    let assessment = load(connection, id, guard)?;
    let name = intake::entity_name(connection, &assessment.entity)?;
    Ok(AssessmentView::new(&assessment, name))
}

fn at_version(assessment: &Assessment, seen: Option<i64>) -> Result<(), AppError> {
    intake::unless_stale("assessment", assessment.version, seen)
}

/// Saves the answers given (the other items stay as they are), if the
/// caller saw the present version. Nothing changed is no new version.
pub fn answer(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    id: &str,
    guard: Guard<'_>,
    seen: i64,
    answers: Vec<Answer>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    write_transaction(connection, |c| {
        let mut assessment = load(c, id, guard)?;
        at_version(&assessment, Some(seen))?;
        let changed = assessment.answer(answers, now);
        if changed.is_empty() {
            return as_it_is(c, &assessment);
        }
        rows::save(c, &assessment)?;
        let numbers: Vec<String> = changed.iter().map(ToString::to_string).collect();
        let message = Some(format!("items {}", numbers.join(", ")));
        record(c, &assessment, actor, "answer", message, now)
    })
}

/// Completes, shares or unshares. A retry of share or unshare answers the
/// assessment as it is; completing twice is a 409.
pub fn apply(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    id: &str,
    guard: Guard<'_>,
    action: AssessmentMove,
    seen: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    write_transaction(connection, |c| {
        let mut assessment = load(c, id, guard)?;
        at_version(&assessment, seen)?;
        match assessment.apply(action, now) {
            Ok(()) => {
                rows::save(c, &assessment)?;
                record(c, &assessment, actor, action.as_str(), None, now)
            }
            Err(Unchanged::AlreadyCompleted) => Err(AppError::Conflict(format!(
                "assessment {id} is completed already; its answers may still be corrected"
            ))),
            Err(Unchanged::AlreadyShared | Unchanged::AlreadyPrivate) => as_it_is(c, &assessment),
        }
    })
}

/// A page of assessments: a State's own, or those shared (editors).
pub fn list(
    connection: &mut AnyConnection,
    listed: Listed<'_>,
    page: &Page,
) -> Result<Vec<AssessmentView>, AppError> {
    let found = rows::list(connection, listed, page)?;
    let mut views = Vec::with_capacity(found.len());
    for a in found {
        let name = intake::entity_name(connection, &a.entity)?;
        views.push(AssessmentView::new(&a, name));
    }
    Ok(views)
}

/// One entry of an assessment's trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentEvent {
    pub at: DateTime<Utc>,
    /// Who acted: an account's email.
    pub actor: String,
    /// `create`, `answer`, `complete`, `share`, `unshare`, `draft`.
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

pub fn events(connection: &mut AnyConnection, id: &str) -> Result<Vec<AssessmentEvent>, AppError> {
    Ok(rows::events(connection, id)?
        .into_iter()
        .map(|e| AssessmentEvent {
            at: crate::store::utc(e.at),
            actor: e.actor,
            action: e.action,
            message: e.message,
        })
        .collect())
}

/// Two assessments of the same State compared item by item, the earlier
/// year first, whichever was named first.
pub fn compare(
    connection: &mut AnyConnection,
    id: &str,
    other: &str,
    guard: Guard<'_>,
) -> Result<(Assessment, Assessment, Vec<ItemChange>), AppError> {
    let one = load(connection, id, guard)?;
    let two = load(connection, other, guard)?;
    if one.entity != two.entity {
        return Err(AppError::NotFound(format!(
            "there is no assessment {other} of {}",
            one.entity
        )));
    }
    let (earlier, later) = if one.year <= two.year {
        (one, two)
    } else {
        (two, one)
    };
    let changes = assessment::compare(&earlier, &later);
    Ok((earlier, later, changes))
}

/// An open item of an assessment with what others shared for it.
pub struct Gap {
    pub item: AnnexItem,
    pub status: AnswerStatus,
    pub recommended: Vec<Recommendation>,
}

/// How many practices are recommended for each open item.
pub const RECOMMENDED_PER_ITEM: usize = 5;

/// The open items of an assessment, each with other entities' practices
/// from the catalogue, in `language`'s order of preference.
pub fn gaps(
    assessment: &Assessment,
    index: &SearchIndex,
    language: Language,
) -> Result<Vec<Gap>, AppError> {
    assessment
        .gaps()
        .into_iter()
        .map(|answer| {
            let recommended = index.recommend(
                answer.item,
                language,
                &assessment.entity,
                RECOMMENDED_PER_ITEM,
            )?;
            Ok(Gap {
                item: answer.item,
                status: answer.status,
                recommended,
            })
        })
        .collect()
}

/// The text of a practice drafted from an answer: the narrative, then the
/// evidence as a list of links.
fn practice_body(answer: &Answer, evidence_heading: &str) -> String {
    let mut body = answer.narrative.trim().to_owned();
    if !answer.evidence.is_empty() {
        body.push_str("\n\n");
        body.push_str(evidence_heading);
        body.push('\n');
        for link in &answer.evidence {
            body.push_str(&format!("\n- <{link}>"));
        }
    }
    body
}

/// Turns an answered item into a draft submission of the State: one
/// practice titled after the item (in the assessment's language), its
/// body the narrative and the evidence, tagged with the item. It then
/// follows the normal workflow.
#[allow(clippy::too_many_arguments)]
pub fn draft_from_item(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    id: &str,
    guard: Guard<'_>,
    item: AnnexItem,
    evidence_heading: &dyn Fn(Language) -> String,
    tagger: &Tagger,
    now: DateTime<Utc>,
) -> Result<SubmissionOutcome, AppError> {
    write_transaction(connection, |c| {
        let assessment = load(c, id, guard)?;
        let answer = assessment.answer_to(item);
        if answer.narrative.trim().is_empty() {
            return Err(AppError::Conflict(format!(
                "item {item} of assessment {id} has no narrative yet: answer it first"
            )));
        }
        let language = assessment.language;
        let title = annex().item(item).title.get(language).to_owned();
        let valid = ValidSubmission {
            entity: Some(assessment.entity.clone()),
            language,
            title: title.clone(),
            summary: None,
            practices: vec![ValidPractice {
                title,
                body: practice_body(answer, &evidence_heading(language)),
                items: vec![item],
                sectors: Vec::new(),
                replaces: None,
                translations: Vec::new(),
            }],
        };
        let entity = assessment.entity.clone();
        // Without an idempotency key the draft is made, never replayed.
        let outcome = match intake::create(c, actor, None, entity, valid, now, tagger)? {
            Once::Done(outcome) => outcome,
            Once::Replayed(_) => return Err(AppError::internal("a keyless create was replayed")),
        };
        let (actor_id, actor_name) = actor_fields(actor);
        rows::insert_event(
            c,
            &EventRow {
                id: new_id(),
                assessment_id: assessment.id.clone(),
                at: now.naive_utc(),
                actor_id,
                actor: actor_name,
                action: "draft".to_owned(),
                message: Some(format!(
                    "item {item} drafted as submission {}",
                    outcome.view.id
                )),
            },
        )?;
        Ok(outcome)
    })
}

/// The year as the contract reads it, or the field error.
pub fn year_of(given: i64, now: DateTime<Utc>) -> Result<i32, AppError> {
    assessment::check_year(given, now.year())
        .map_err(|expected| AppError::unprocessable(vec![FieldError::new("year", expected)]))
}

/// Per item and region, how many States have the item in place, from each
/// State's latest shared assessment, in cells of at least three States.
pub fn stock(
    connection: &mut AnyConnection,
) -> Result<Vec<crate::domain::assessment::stock::ItemStock>, AppError> {
    let latest = rows::latest_shared(connection)?;
    let mut placed = Vec::with_capacity(latest.len());
    for assessment in latest {
        let region = organisations::lookup(connection, &assessment.entity)?.and_then(|e| e.region);
        placed.push((assessment, region));
    }
    Ok(crate::domain::assessment::stock::take_stock(&placed))
}
