//! The desk's labels: the pages where focal points, editors and
//! administrators work, from the same catalogue as the reader pages (one
//! TOML file per language in `labels/desk/`, compiled in, every key a
//! field here).

use std::sync::OnceLock;

use serde::Deserialize;

use super::Names;

use crate::domain::account::Role;
use crate::domain::submission::Sector;
use crate::domain::workflow::Status;
use crate::domain::Language;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeskLabels {
    pub desk_name: String,
    pub nav_label: String,
    pub nav_dashboard: String,
    pub nav_review: String,
    pub nav_new_submission: String,
    pub nav_catalogue: String,
    pub signed_in_as: String,
    pub sign_out: String,
    pub sign_in_title: String,
    pub sign_in_intro: String,
    pub email: String,
    pub password: String,
    pub sign_in_button: String,
    pub wrong_credentials: String,
    pub too_many_attempts: String,
    pub signed_out: String,
    pub form_expired_title: String,
    pub form_expired_text: String,
    pub forbidden_title: String,
    pub forbidden_text: String,
    pub conflict_title: String,
    pub stale_text: String,
    pub dashboard_title: String,
    pub dashboard_entity: String,
    pub dashboard_all: String,
    pub dashboard_empty: String,
    pub dashboard_review: String,
    pub new_submission_link: String,
    pub column_title: String,
    pub column_entity: String,
    pub column_status: String,
    pub column_practices: String,
    pub column_updated: String,
    pub column_submitted: String,
    pub column_language: String,
    pub review_title: String,
    pub review_intro: String,
    pub review_empty: String,
    pub filter_entity: String,
    pub filter_language: String,
    pub filter_section: String,
    pub filter_any: String,
    pub filter_button: String,
    pub review_count: String,
    pub new_title: String,
    pub edit_title: String,
    pub field_entity: String,
    pub field_entity_hint: String,
    pub field_language: String,
    pub field_title: String,
    pub field_summary: String,
    pub practice_heading: String,
    pub field_practice_title: String,
    pub field_body: String,
    pub field_body_hint: String,
    pub field_items: String,
    pub field_sectors: String,
    pub add_practice: String,
    pub remove_practice: String,
    pub preview_button: String,
    pub save_button: String,
    pub preview_heading: String,
    pub suggested_heading: String,
    pub suggested_intro: String,
    pub suggested_reason: String,
    pub suggested_concepts: String,
    pub errors_heading: String,
    pub saved_notice: String,
    pub submission_title: String,
    pub editor_message_heading: String,
    pub decision_note_heading: String,
    pub status_label: String,
    pub version_label: String,
    pub entity_label: String,
    pub practices_heading: String,
    pub items_label: String,
    pub sectors_label: String,
    pub no_items: String,
    pub actions_heading: String,
    pub edit_link: String,
    pub revise_button: String,
    pub revision_of_note: String,
    pub revision_of_link: String,
    pub revision_open_note: String,
    pub revision_open_link: String,
    pub corrects_published: String,
    pub submit_button: String,
    pub withdraw_button: String,
    pub request_changes_button: String,
    pub request_changes_message: String,
    pub accept_button: String,
    pub accept_note: String,
    pub reject_button: String,
    pub reject_reason: String,
    pub versions_heading: String,
    pub events_heading: String,
    pub compare_heading: String,
    pub compare_from: String,
    pub compare_to: String,
    pub compare_button: String,
    pub diff_since_submitted: String,
    pub event_line: String,
    pub event_by_command_line: String,
    pub diff_title: String,
    pub diff_no_changes: String,
    pub diff_field_title: String,
    pub diff_field_summary: String,
    pub diff_field_language: String,
    pub diff_practice_title: String,
    pub diff_practice_body: String,
    pub diff_practice_items: String,
    pub diff_practice_sectors: String,
    pub diff_practice_added: String,
    pub diff_practice_removed: String,
    pub diff_inserted: String,
    pub diff_deleted: String,
    pub back_to_submission: String,
    pub nav_account: String,
    pub nav_compilations: String,
    pub nav_mail: String,
    pub nav_coverage: String,
    pub nav_accounts: String,
    pub nav_organisations: String,
    pub nav_audit: String,
    pub account_title: String,
    pub password_heading: String,
    pub current_password: String,
    pub new_password: String,
    pub new_password_hint: String,
    pub change_password_button: String,
    pub password_changed: String,
    pub wrong_current_password: String,
    pub tokens_heading: String,
    pub tokens_intro: String,
    pub token_name: String,
    pub token_days: String,
    pub create_token_button: String,
    pub token_created: String,
    pub token_revoke_button: String,
    pub token_revoked: String,
    pub token_none: String,
    pub column_name: String,
    pub column_created: String,
    pub column_expires: String,
    pub token_state_revoked: String,
    pub token_state_expired: String,
    pub token_state_active: String,
    pub accounts_title: String,
    pub new_account_heading: String,
    pub field_name: String,
    pub field_role: String,
    pub field_account_entity: String,
    pub field_first_password: String,
    pub create_account_button: String,
    pub account_created: String,
    pub account_saved: String,
    pub column_email: String,
    pub column_role: String,
    pub column_state: String,
    pub account_enabled: String,
    pub account_disabled: String,
    pub disable_label: String,
    pub save_account_button: String,
    pub organisations_title: String,
    pub organisations_intro: String,
    pub new_organisation_heading: String,
    pub field_code: String,
    pub field_org_name: String,
    pub field_org_type: String,
    pub add_organisation_button: String,
    pub organisation_added: String,
    pub audit_title: String,
    pub audit_intro: String,
    pub column_when: String,
    pub column_who: String,
    pub column_action: String,
    pub column_record: String,
    pub compilations_title: String,
    pub new_compilation_heading: String,
    pub field_compilation_title: String,
    pub field_introduction: String,
    pub scope_heading: String,
    pub scope_from: String,
    pub scope_to: String,
    pub scope_sections: String,
    pub scope_entity_types: String,
    pub create_compilation_button: String,
    pub compilation_draft: String,
    pub compilation_published: String,
    pub entries_heading: String,
    pub entries_count: String,
    pub exclude_button: String,
    pub include_button: String,
    pub excluded_heading: String,
    pub untagged_heading: String,
    pub drift_heading: String,
    pub drift_added: String,
    pub drift_removed: String,
    pub drift_none: String,
    pub drift_check: String,
    pub reassemble_button: String,
    pub publish_button: String,
    pub publish_confirm_title: String,
    pub publish_confirm_text: String,
    pub publish_confirm_button: String,
    pub cancel: String,
    pub public_page_link: String,
    pub mail_title: String,
    pub mail_intro: String,
    pub mail_failed: String,
    pub mail_dead: String,
    pub column_recipient: String,
    pub column_kind: String,
    pub column_attempts: String,
    pub column_error: String,
    pub retry_button: String,
    pub mail_none: String,
    pub mail_retried: String,
    pub coverage_title: String,
    pub coverage_intro: String,
    pub retag_heading: String,
    pub retag_button: String,
    pub retag_saved: String,
    /// Editors' courtesy translations of an accepted practice; `{language}`
    /// is a language named in the desk's.
    pub translations_heading: String,
    pub translations_intro: String,
    pub translate_into: String,
    pub translation_edit: String,
    pub translation_page_title: String,
    pub translation_original_heading: String,
    pub translation_title_field: String,
    pub translation_body_field: String,
    pub translation_save: String,
    pub translation_remove: String,
    pub translation_saved: String,
    pub translation_removed: String,
    /// The submission form's own translations of a practice.
    pub own_translations_legend: String,
    pub own_translations_hint: String,
    pub forgot_password_link: String,
    pub reset_title: String,
    pub reset_intro: String,
    pub reset_button: String,
    pub reset_sent_title: String,
    pub reset_sent_text: String,
    pub set_password_title: String,
    pub set_password_intro: String,
    pub set_password_button: String,
    pub password_set: String,
    pub link_invalid_title: String,
    pub link_invalid_text: String,
    pub invite_hint: String,
    pub announcements_heading: String,
    pub announcements_label: String,
    pub announcements_saved: String,
    pub nav_assessments: String,
    pub assessments_title: String,
    pub assessments_intro: String,
    pub assessments_shared_intro: String,
    pub assessments_empty: String,
    pub assessments_not_member_state: String,
    pub new_assessment_heading: String,
    pub field_year: String,
    pub field_answer_language: String,
    pub start_blank: String,
    pub start_assessment_button: String,
    pub column_year: String,
    pub column_shared: String,
    pub shared_yes: String,
    pub shared_no: String,
    pub assessment_form_intro: String,
    pub answer_status_legend: String,
    pub field_narrative: String,
    pub field_narrative_hint: String,
    pub field_evidence: String,
    pub field_evidence_hint: String,
    pub field_maturity: String,
    pub maturity_none: String,
    pub maturity_1: String,
    pub maturity_2: String,
    pub maturity_3: String,
    pub maturity_4: String,
    pub maturity_5: String,
    pub save_answers_button: String,
    pub answers_saved: String,
    pub complete_button: String,
    pub share_button: String,
    pub unshare_button: String,
    pub shared_note: String,
    pub private_note: String,
    pub gaps_link: String,
    pub gaps_title: String,
    pub gaps_intro: String,
    pub gaps_none: String,
    pub gaps_no_practice: String,
    pub compare_with: String,
    pub compare_title: String,
    pub column_item: String,
    pub column_change: String,
    pub compare_changed: String,
    pub compare_same: String,
    pub draft_from_item_button: String,
    pub export_markdown: String,
    pub export_word: String,
    pub export_html: String,
    pub history_heading: String,
    pub stock_heading: String,
    pub stock_intro: String,
    pub stock_cell: String,
    pub stock_hidden: String,
    status: Names,
    /// What an event of a submission's history did, as its trail names it.
    action: Names,
    sector: Names,
    role: Names,
}

impl DeskLabels {
    pub fn status(&self, status: Status) -> &str {
        self.status.of(status.as_str())
    }

    pub fn sector(&self, sector: Sector) -> &str {
        self.sector.of(sector.as_str())
    }

    pub fn role(&self, role: Role) -> &str {
        self.role.of(role.as_str())
    }

    /// What an event did; an action this catalogue does not know (written
    /// by a later version) is shown by its name.
    pub fn action<'a>(&'a self, action: &'a str) -> &'a str {
        self.action.of(action)
    }
}

fn source(language: Language) -> &'static str {
    super::label_file!("labels/desk", language)
}

/// The desk labels of a language, parsed once; the files are compiled in
/// and checked by the tests below.
pub fn labels(language: Language) -> &'static DeskLabels {
    static ALL: OnceLock<Vec<DeskLabels>> = OnceLock::new();
    super::parsed_once(&ALL, source, "labels/desk", language)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflow::Move;

    #[test]
    fn every_language_has_every_label_with_the_same_places() {
        crate::i18n::checks::like_english(source, &[]);
        for language in Language::ALL {
            assert!(!labels(language).sign_in_title.is_empty());
        }
    }

    #[test]
    fn every_move_and_event_has_a_label() {
        let english = labels(Language::En);
        for action in Move::ALL
            .iter()
            .map(|m| m.as_str())
            .chain(["create", "update", "curate", "import"])
            .chain([
                "withdraw_practice",
                "translate",
                "revision_opened",
                "revised",
            ])
            .chain(["answer", "complete", "share", "unshare", "draft"])
        {
            if action == "edit" {
                continue;
            }
            assert_ne!(english.action(action), action, "{action}");
        }
    }

    #[test]
    fn every_status_sector_and_role_is_named_in_every_language() {
        for language in Language::ALL {
            let d = labels(language);
            let missing = [
                d.status.missing(&Status::ALL.map(Status::as_str)),
                d.sector.missing(&Sector::ALL.map(Sector::as_str)),
                d.role.missing(&Role::ALL.map(Role::as_str)),
            ];
            assert!(missing.iter().all(Vec::is_empty), "{language}: {missing:?}");
        }
    }
}
