//! The self-assessment reminder: a year after a State completes its
//! assessment, its focal points are invited, once, to take stock again.
//! Marking the assessment and queueing the mails share one transaction,
//! so two replicas never both remind, and a failure reminds no one.

use chrono::{DateTime, Utc};

use super::outbox::notify_each;
use super::submissions as intake;
use crate::domain::assessment::reminder_due_before;
use crate::domain::notice::{AssessmentNotice, Notice};
use crate::error::AppError;
use crate::store::assessments as rows;
use crate::store::users::Recipients;
use crate::store::{write_transaction, AnyConnection};

/// Assessments reminded of in one round; the next round takes the rest.
const PER_ROUND: i64 = 100;

/// Queues the reminders that are due; answers how many assessments were
/// reminded of.
pub fn remind_due(connection: &mut AnyConnection, now: DateTime<Utc>) -> Result<usize, AppError> {
    let due = rows::due_for_reminder(connection, reminder_due_before(now), PER_ROUND)?;
    let mut reminded = 0;
    for assessment in due {
        let done = write_transaction(connection, |c| -> Result<bool, AppError> {
            if !rows::mark_reminded(c, &assessment.id, now)? {
                return Ok(false);
            }
            let notice = Notice::AssessmentReminder(AssessmentNotice {
                assessment_id: assessment.id.clone(),
                entity: assessment.entity.to_string(),
                entity_name: intake::entity_name(c, &assessment.entity)?,
                year: assessment.year,
            });
            let state = Recipients::FocalPointsOf(assessment.entity.as_str());
            notify_each(c, state, assessment.language, &notice, now)?;
            Ok(true)
        })?;
        reminded += usize::from(done);
    }
    Ok(reminded)
}
