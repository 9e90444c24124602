//! The editorial workflow of a submission, as a state machine:
//!
//! ```text
//! draft → submitted → changes_requested → submitted → … → accepted | rejected
//! draft | submitted | changes_requested → withdrawn
//! ```
//!
//! Editing (PUT) is allowed in draft and changes_requested only. Any other
//! move is refused, naming the current status and what is allowed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    ChangesRequested,
    Accepted,
    Rejected,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::Submitted,
        Status::ChangesRequested,
        Status::Accepted,
        Status::Rejected,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::ChangesRequested => "changes_requested",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// Whether the submitter may still change the content.
    pub fn is_editable(self) -> bool {
        matches!(self, Status::Draft | Status::ChangesRequested)
    }

    /// Whether the Secretariat has decided, for good.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::Accepted | Status::Rejected | Status::Withdrawn
        )
    }

    /// Where `action` leads from here, if anywhere.
    pub fn after(self, action: Move) -> Option<Status> {
        use Move::*;
        use Status::*;
        match (self, action) {
            (Draft | ChangesRequested, Edit) => Some(self),
            (Draft | ChangesRequested, Submit) => Some(Submitted),
            (Submitted, RequestChanges) => Some(ChangesRequested),
            (Submitted, Accept) => Some(Accepted),
            (Submitted, Reject) => Some(Rejected),
            (Draft | Submitted | ChangesRequested, Withdraw) => Some(Withdrawn),
            _ => None,
        }
    }

    /// The moves allowed from here, in a stable order.
    pub fn allowed_moves(self) -> Vec<Move> {
        Move::ALL
            .into_iter()
            .filter(|m| self.after(*m).is_some())
            .collect()
    }

    /// The status after `action`, or the refusal to show the caller.
    pub fn apply(self, action: Move) -> Result<Status, InvalidMove> {
        self.after(action).ok_or(InvalidMove { from: self, action })
    }
}

named_in_text!(Status by as_str, |text| -> String {
    format!("unknown status '{text}': use draft, submitted, changes_requested, accepted, rejected or withdrawn")
});

/// What can be done to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    Edit,
    Submit,
    Withdraw,
    RequestChanges,
    Accept,
    Reject,
}

impl Move {
    pub const ALL: [Move; 6] = [
        Move::Edit,
        Move::Submit,
        Move::Withdraw,
        Move::RequestChanges,
        Move::Accept,
        Move::Reject,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Move::Edit => "edit",
            Move::Submit => "submit",
            Move::Withdraw => "withdraw",
            Move::RequestChanges => "request_changes",
            Move::Accept => "accept",
            Move::Reject => "reject",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} is not possible on a submission that is {from}", action.as_str())]
pub struct InvalidMove {
    pub from: Status,
    pub action: Move,
}

impl InvalidMove {
    /// The message a client sees: what it asked, the status, what it may do.
    pub fn explain(&self) -> String {
        let allowed: Vec<&str> = self
            .from
            .allowed_moves()
            .iter()
            .map(|m| m.as_str())
            .collect();
        if allowed.is_empty() {
            format!("{self}; {} submissions are final", self.from)
        } else {
            format!("{self}; allowed now: {}", allowed.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Move::*;
    use Status::*;

    /// Every status × every move, against the contract's diagram.
    #[test]
    fn every_status_and_move() {
        let table: [(Status, [Option<Status>; 6]); 6] = [
            //                 Edit                   Submit           Withdraw         RequestChanges          Accept          Reject
            (
                Draft,
                [
                    Some(Draft),
                    Some(Submitted),
                    Some(Withdrawn),
                    None,
                    None,
                    None,
                ],
            ),
            (
                Submitted,
                [
                    None,
                    None,
                    Some(Withdrawn),
                    Some(ChangesRequested),
                    Some(Accepted),
                    Some(Rejected),
                ],
            ),
            (
                ChangesRequested,
                [
                    Some(ChangesRequested),
                    Some(Submitted),
                    Some(Withdrawn),
                    None,
                    None,
                    None,
                ],
            ),
            (Accepted, [None; 6]),
            (Rejected, [None; 6]),
            (Withdrawn, [None; 6]),
        ];
        for (from, expected) in table {
            for (action, to) in Move::ALL.into_iter().zip(expected) {
                assert_eq!(from.after(action), to, "{from} × {}", action.as_str());
                assert_eq!(from.apply(action).ok(), to);
            }
        }
    }

    #[test]
    fn a_refusal_names_the_status_and_the_allowed_moves() {
        let refusal = Accepted.apply(Submit).unwrap_err();
        assert_eq!(refusal.explain(), "submit is not possible on a submission that is accepted; accepted submissions are final");
        let refusal = Submitted.apply(Edit).unwrap_err();
        assert!(
            refusal
                .explain()
                .ends_with("allowed now: withdraw, request_changes, accept, reject"),
            "{}",
            refusal.explain()
        );
    }

    #[test]
    fn only_drafts_and_returned_submissions_are_editable() {
        let editable: Vec<_> = Status::ALL
            .into_iter()
            .filter(|s| s.is_editable())
            .collect();
        assert_eq!(editable, [Draft, ChangesRequested]);
        assert!(Status::ALL
            .into_iter()
            .all(|s| s.is_final() == s.allowed_moves().is_empty()));
    }

    #[test]
    fn statuses_round_trip() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
        }
        assert!("approved".parse::<Status>().is_err());
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(crate::testing::config())]

            #[test]
            fn no_sequence_of_moves_leaves_the_contract(
                moves in prop::collection::vec(prop::sample::select(Move::ALL.to_vec()), 0..40)
            ) {
                let mut status = Status::Draft;
                let mut submitted_before = false;
                for action in moves {
                    let before = status;
                    match status.apply(action) {
                        Ok(next) => {
                            prop_assert!(!before.is_final(), "{:?} moved out of final {:?}", action, before);
                            let decided = matches!(next, Status::Accepted | Status::Rejected | Status::ChangesRequested);
                            if decided && next != before {
                                prop_assert_eq!(before, Status::Submitted);
                            }
                            status = next;
                        }
                        Err(_) => prop_assert!(!before.allowed_moves().contains(&action)),
                    }
                    submitted_before |= status == Status::Submitted;
                    if matches!(status, Status::Accepted | Status::Rejected) {
                        prop_assert!(submitted_before, "decided without being submitted");
                    }
                }
            }
        }
    }
}
