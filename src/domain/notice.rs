//! What a queued mail says, as one typed value: the outbox stores it as a
//! kind and a JSON payload, the sender composes the message from it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::annex::SectionId;

/// What a workflow notice says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionNotice {
    pub submission_id: String,
    pub title: String,
    /// The entity's code, so that each mail names it in its own language
    /// (empty in mails queued before codes were kept: the name is used).
    #[serde(default)]
    pub entity: String,
    pub entity_name: String,
    /// The editor's request, the acceptance note or the rejection reason.
    pub message: Option<String>,
    /// A submission sent again after the Secretariat asked for changes:
    /// its reviewers are told it is not a new one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resubmitted: bool,
    /// A revision of an accepted submission: its reviewers are told that
    /// the practices it corrects are public as they were until they decide.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revision: bool,
}

/// What a confirmation mail needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmationNotice {
    pub subscription_id: String,
    /// The subscription's link nonce when the mail was queued: a later
    /// request makes this link worthless.
    #[serde(default)]
    pub nonce: String,
    /// Until when the link works (seconds since the epoch).
    pub expires: i64,
}

/// What a publication announcement says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationNotice {
    pub compilation_id: String,
    pub number: String,
    pub title: String,
    /// Entries per annex section, in order.
    pub sections: Vec<(SectionId, i64)>,
    /// For a subscriber: the subscription the unsubscribe link ends.
    pub subscription_id: Option<String>,
    /// And its link nonce while it is confirmed.
    #[serde(default)]
    pub subscription_nonce: String,
}

/// What a mail with a password link (an invitation, a reset) needs: the
/// account, the nonce its links name when the mail was queued, and until
/// when the link works. The link itself is signed when the mail is sent,
/// so the outbox holds no working link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordNotice {
    pub user_id: String,
    pub name: String,
    pub nonce: String,
    /// Seconds since the epoch.
    pub expires: i64,
}

/// What a self-assessment reminder says: the State's assessment of `year`
/// was completed a year ago, and the next one may start from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentNotice {
    pub assessment_id: String,
    /// As in [`SubmissionNotice`].
    #[serde(default)]
    pub entity: String,
    pub entity_name: String,
    pub year: i32,
}

/// A mail's content. The tag and content names match the outbox's two
/// columns, and the kind strings are the ones rows already hold, so
/// existing rows stay readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Notice {
    /// To the Secretariat: a submission awaits review.
    NewSubmission(SubmissionNotice),
    ChangesRequested(SubmissionNotice),
    Accepted(SubmissionNotice),
    Rejected(SubmissionNotice),
    ConfirmSubscription(ConfirmationNotice),
    Publication(PublicationNotice),
    /// To a new account's owner: choose your password.
    Invitation(PasswordNotice),
    /// To an account's owner who asked for it: choose a new password.
    PasswordReset(PasswordNotice),
    /// To a State's focal points, once: a year has passed since they
    /// completed their self-assessment.
    AssessmentReminder(AssessmentNotice),
}

/// A stored kind and payload that make no notice: the row was written by
/// another version, or by hand.
#[derive(Debug, thiserror::Error)]
#[error("no notice of kind {kind:?} with this payload: {source}")]
pub struct UnreadableNotice {
    pub kind: String,
    #[source]
    pub source: serde_json::Error,
}

impl Notice {
    /// The kind as stored (and as admins see it); serde's tag, spelled out
    /// so it is a `&'static str` without serializing.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::NewSubmission(_) => "new_submission",
            Notice::ChangesRequested(_) => "changes_requested",
            Notice::Accepted(_) => "accepted",
            Notice::Rejected(_) => "rejected",
            Notice::ConfirmSubscription(_) => "confirm_subscription",
            Notice::Publication(_) => "publication",
            Notice::Invitation(_) => "invitation",
            Notice::PasswordReset(_) => "password_reset",
            Notice::AssessmentReminder(_) => "assessment_reminder",
        }
    }

    /// The kind and payload to store, as `from_parts` reads them back.
    pub fn to_parts(&self) -> (&'static str, Value) {
        let payload = match self {
            Notice::NewSubmission(notice)
            | Notice::ChangesRequested(notice)
            | Notice::Accepted(notice)
            | Notice::Rejected(notice) => serde_json::to_value(notice),
            Notice::ConfirmSubscription(notice) => serde_json::to_value(notice),
            Notice::Publication(notice) => serde_json::to_value(notice),
            Notice::Invitation(notice) | Notice::PasswordReset(notice) => {
                serde_json::to_value(notice)
            }
            Notice::AssessmentReminder(notice) => serde_json::to_value(notice),
        };
        // Derived structs of strings, numbers and lists: nothing can fail.
        (
            self.kind(),
            payload.expect("a notice's payload serializes to JSON"),
        )
    }

    /// Reads a stored kind and payload back. Decoded through serde's tag,
    /// so the kind strings are written down in one place for reading.
    pub fn from_parts(kind: &str, payload: Value) -> Result<Notice, UnreadableNotice> {
        let mut tagged = serde_json::Map::new();
        tagged.insert("kind".to_owned(), Value::String(kind.to_owned()));
        tagged.insert("payload".to_owned(), payload);
        serde_json::from_value(Value::Object(tagged)).map_err(|source| UnreadableNotice {
            kind: kind.to_owned(),
            source,
        })
    }
}

#[cfg(test)]
impl SubmissionNotice {
    /// Kenya's submission `s1`, with a title that needs escaping in HTML.
    pub fn example(message: Option<&str>) -> SubmissionNotice {
        SubmissionNotice {
            submission_id: "s1".to_owned(),
            title: "National plan <2026>".to_owned(),
            entity: "KEN".to_owned(),
            entity_name: "Kenya".to_owned(),
            message: message.map(str::to_owned),
            resubmitted: false,
            revision: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(message: Option<&str>) -> SubmissionNotice {
        SubmissionNotice::example(message)
    }

    fn password() -> PasswordNotice {
        PasswordNotice {
            user_id: "u1".to_owned(),
            name: "Amina".to_owned(),
            nonce: "n1".to_owned(),
            expires: 1_795_000_000,
        }
    }

    /// One of each kind, with the kind string rows hold.
    fn every_notice() -> Vec<(Notice, &'static str)> {
        vec![
            (Notice::NewSubmission(submission(None)), "new_submission"),
            (
                Notice::ChangesRequested(submission(Some("Add item 11."))),
                "changes_requested",
            ),
            (Notice::Accepted(submission(Some("Welcome."))), "accepted"),
            (
                Notice::Rejected(submission(Some("Out of scope."))),
                "rejected",
            ),
            (
                Notice::ConfirmSubscription(ConfirmationNotice {
                    subscription_id: "sub1".to_owned(),
                    nonce: "n1".to_owned(),
                    expires: 1_795_000_000,
                }),
                "confirm_subscription",
            ),
            (
                Notice::Publication(PublicationNotice {
                    compilation_id: "c1".to_owned(),
                    number: "2026/1".to_owned(),
                    title: "First edition".to_owned(),
                    sections: vec![(SectionId::A, 3), (SectionId::G, 1)],
                    subscription_id: Some("sub1".to_owned()),
                    subscription_nonce: "n1".to_owned(),
                }),
                "publication",
            ),
            (Notice::Invitation(password()), "invitation"),
            (Notice::PasswordReset(password()), "password_reset"),
            (
                Notice::AssessmentReminder(AssessmentNotice {
                    assessment_id: "a1".to_owned(),
                    entity: "KEN".to_owned(),
                    entity_name: "Kenya".to_owned(),
                    year: 2026,
                }),
                "assessment_reminder",
            ),
        ]
    }

    #[test]
    fn every_kind_survives_the_store_and_keeps_its_string() {
        for (notice, kind) in every_notice() {
            let (stored_kind, payload) = notice.to_parts();
            assert_eq!(stored_kind, kind);
            assert_eq!(notice.kind(), kind);
            // serde's tag and `kind` agree, and the payload is the content.
            assert_eq!(
                serde_json::to_value(&notice).unwrap(),
                serde_json::json!({ "kind": kind, "payload": payload.clone() })
            );
            // Through the payload's text, as the column holds it.
            let text = payload.to_string();
            let read =
                Notice::from_parts(stored_kind, serde_json::from_str(&text).unwrap()).unwrap();
            assert_eq!(read, notice);
        }
    }

    #[test]
    fn a_notice_queued_before_entity_codes_were_kept_is_still_read() {
        let payload = serde_json::json!({
            "submission_id": "s1",
            "title": "Plan",
            "entity_name": "Kenya",
            "message": null,
        });
        let Ok(Notice::Accepted(read)) = Notice::from_parts("accepted", payload) else {
            panic!("an old accepted notice is read");
        };
        assert_eq!(
            (read.entity.as_str(), read.entity_name.as_str()),
            ("", "Kenya")
        );
    }

    #[test]
    fn payloads_keep_their_stored_shape() {
        let (_, payload) = Notice::Accepted(submission(None)).to_parts();
        assert_eq!(
            payload,
            serde_json::json!({
                "submission_id": "s1",
                "title": "National plan <2026>",
                "entity": "KEN",
                "entity_name": "Kenya",
                "message": null,
            })
        );
        let (_, payload) = every_notice()[5].0.to_parts();
        assert_eq!(payload["sections"], serde_json::json!([["A", 3], ["G", 1]]));
    }

    #[test]
    fn an_unknown_kind_or_a_bad_payload_is_an_error() {
        let (_, payload) = Notice::Accepted(submission(None)).to_parts();
        let unknown = Notice::from_parts("nonsense", payload.clone()).unwrap_err();
        assert_eq!(unknown.kind, "nonsense");
        assert!(unknown.to_string().contains("nonsense"), "{unknown}");
        // A submission's payload is no confirmation.
        let mismatched = Notice::from_parts("confirm_subscription", payload).unwrap_err();
        assert!(
            mismatched.to_string().contains("confirm_subscription"),
            "{mismatched}"
        );
        assert!(Notice::from_parts("accepted", serde_json::json!("text")).is_err());
        assert!(Notice::from_parts("accepted", Value::Null).is_err());
        assert!(Notice::from_parts("publication", serde_json::json!({})).is_err());
    }
}
