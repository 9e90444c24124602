//! Turning an outbox row into a message: subject, a plain-text part and
//! an HTML part in the recipient's language, links back to the resource.
//! Composition is a pure function of the row, so every attempt sends the
//! same message with the same Message-ID.

use chrono::DateTime;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;
use maud::{html, Markup, DOCTYPE};

use super::links::Links;
use crate::domain::account::{INVITATION_HOURS, RESET_MINUTES};
use crate::domain::annex::annex;
use crate::domain::entities::names::name_in;
use crate::domain::notice::{Notice, PasswordNotice, SubmissionNotice};
use crate::domain::outbox::Mail;
use crate::domain::Language;
use crate::i18n::{fill, labels, Labels};

/// A message's words before they become parts.
struct Words {
    subject: String,
    paragraphs: Vec<String>,
    /// Quoted as the Secretariat wrote it.
    quote: Option<(String, String)>,
    /// Labelled links, in order.
    links: Vec<(String, String)>,
    /// Said after the links.
    closing: Vec<String>,
    /// Where a subscriber stops the mail (also the List-Unsubscribe header).
    unsubscribe: Option<String>,
}

/// The templates of one workflow notice; a label before the quoted
/// message only where the message is not self-explanatory.
struct NoticeTemplates<'a> {
    subject: &'a str,
    text: &'a str,
    quote_label: Option<&'a str>,
}

fn notice_words(
    l: &Labels,
    language: Language,
    notice: &SubmissionNotice,
    templates: NoticeTemplates<'_>,
    public_url: &str,
) -> Words {
    let values = [
        ("title", notice.title.as_str()),
        (
            "entity",
            name_in(&notice.entity, &notice.entity_name, language),
        ),
    ];
    let quote = notice
        .message
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .map(|m| {
            (
                templates.quote_label.unwrap_or_default().to_owned(),
                m.to_owned(),
            )
        });
    Words {
        subject: fill(templates.subject, &values),
        paragraphs: vec![fill(templates.text, &values)],
        quote,
        links: vec![(
            l.mail_open.clone(),
            format!("{public_url}/desk/submissions/{}", notice.submission_id),
        )],
        closing: Vec::new(),
        unsubscribe: None,
    }
}

/// Exhaustive on purpose: a new kind of notice does not compile until it
/// has its words.
/// A mail whose link lets the account's owner choose a password, signed
/// now from what the outbox holds (no working link is stored).
fn password_words(
    notice: &PasswordNotice,
    subject: String,
    text: String,
    closing: Vec<String>,
    public_url: &str,
    language: &str,
    links: &Links,
) -> Result<Words, String> {
    let expires = DateTime::from_timestamp(notice.expires, 0)
        .ok_or_else(|| format!("expiry {} of a password link", notice.expires))?;
    let token = links.password_token(&notice.user_id, &notice.nonce, expires);
    Ok(Words {
        subject,
        paragraphs: vec![text],
        quote: None,
        links: vec![(
            String::new(),
            format!("{public_url}/set-password?token={token}&lang={language}"),
        )],
        closing,
        unsubscribe: None,
    })
}

fn words(l: &Labels, mail: &Mail, public_url: &str, links: &Links) -> Result<Words, String> {
    let language = mail.language.code();
    let notice = mail
        .notice
        .as_ref()
        .map_err(|e| format!("the stored {} notice cannot be read: {e}", mail.kind))?;
    match notice {
        Notice::NewSubmission(notice) => {
            let (subject, text) = if notice.revision {
                (&l.mail_revision_subject, &l.mail_revision_text)
            } else if notice.resubmitted {
                (&l.mail_resubmission_subject, &l.mail_resubmission_text)
            } else {
                (&l.mail_new_submission_subject, &l.mail_new_submission_text)
            };
            let templates = NoticeTemplates {
                subject,
                text,
                quote_label: None,
            };
            Ok(notice_words(
                l,
                mail.language,
                notice,
                templates,
                public_url,
            ))
        }
        Notice::ChangesRequested(notice) => Ok(notice_words(
            l,
            mail.language,
            notice,
            NoticeTemplates {
                subject: &l.mail_changes_requested_subject,
                text: &l.mail_changes_requested_text,
                quote_label: None,
            },
            public_url,
        )),
        Notice::Accepted(notice) => Ok(notice_words(
            l,
            mail.language,
            notice,
            NoticeTemplates {
                subject: &l.mail_accepted_subject,
                text: &l.mail_accepted_text,
                quote_label: Some(l.mail_note.as_str()),
            },
            public_url,
        )),
        Notice::Rejected(notice) => Ok(notice_words(
            l,
            mail.language,
            notice,
            NoticeTemplates {
                subject: &l.mail_rejected_subject,
                text: &l.mail_rejected_text,
                quote_label: None,
            },
            public_url,
        )),
        Notice::ConfirmSubscription(notice) => {
            let expires = DateTime::from_timestamp(notice.expires, 0)
                .ok_or_else(|| format!("expiry {} of a confirmation", notice.expires))?;
            let token = links.confirm_token(&notice.subscription_id, &notice.nonce, expires);
            Ok(Words {
                subject: l.mail_confirm_subject.clone(),
                paragraphs: vec![l.mail_confirm_text.clone()],
                quote: None,
                links: vec![(
                    String::new(),
                    format!("{public_url}/subscriptions/confirm?token={token}&lang={language}"),
                )],
                closing: vec![l.mail_confirm_ignore.clone()],
                unsubscribe: None,
            })
        }
        Notice::Invitation(notice) => {
            let hours = INVITATION_HOURS.to_string();
            let values = [("name", notice.name.as_str()), ("hours", hours.as_str())];
            let text = fill(&l.mail_invitation_text, &values);
            let subject = l.mail_invitation_subject.clone();
            password_words(
                notice,
                subject,
                text,
                Vec::new(),
                public_url,
                language,
                links,
            )
        }
        Notice::PasswordReset(notice) => {
            let minutes = RESET_MINUTES.to_string();
            let text = fill(&l.mail_reset_text, &[("minutes", minutes.as_str())]);
            let closing = vec![l.mail_reset_ignore.clone()];
            let subject = l.mail_reset_subject.clone();
            password_words(notice, subject, text, closing, public_url, language, links)
        }
        Notice::AssessmentReminder(notice) => {
            let year = notice.year.to_string();
            let next = (notice.year + 1).to_string();
            let values = [
                (
                    "entity",
                    name_in(&notice.entity, &notice.entity_name, mail.language),
                ),
                ("year", year.as_str()),
                ("next", next.as_str()),
            ];
            Ok(Words {
                subject: fill(&l.mail_assessment_reminder_subject, &values),
                paragraphs: vec![fill(&l.mail_assessment_reminder_text, &values)],
                quote: None,
                links: vec![(
                    l.mail_open.clone(),
                    format!(
                        "{public_url}/desk/assessments/{}?lang={language}",
                        notice.assessment_id
                    ),
                )],
                closing: vec![l.mail_assessment_reminder_closing.clone()],
                unsubscribe: None,
            })
        }
        Notice::Publication(notice) => {
            let values = [
                ("number", notice.number.as_str()),
                ("title", notice.title.as_str()),
            ];
            let mut paragraphs = vec![fill(&l.mail_publication_text, &values)];
            paragraphs.extend(notice.sections.iter().map(|(section, count)| {
                format!(
                    "{section}. {}: {}",
                    annex().section(*section).title.get(mail.language),
                    l.number((*count).max(0) as u64)
                )
            }));
            Ok(Words {
                subject: fill(&l.mail_publication_subject, &values),
                paragraphs,
                quote: None,
                links: vec![
                    (
                        l.mail_read.clone(),
                        format!(
                            "{public_url}/compilations/{}?lang={language}",
                            notice.compilation_id
                        ),
                    ),
                    (
                        l.mail_feed.clone(),
                        format!("{public_url}/feeds/compilations.atom"),
                    ),
                ],
                closing: Vec::new(),
                unsubscribe: notice.subscription_id.as_deref().map(|id| {
                    format!(
                        "{public_url}/subscriptions/unsubscribe?token={}&lang={language}",
                        links.unsubscribe_token(id, &notice.subscription_nonce)
                    )
                }),
            })
        }
    }
}

fn text_part(l: &Labels, words: &Words) -> String {
    let mut text = String::new();
    for paragraph in &words.paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
    }
    if let Some((label, quote)) = &words.quote {
        if !label.is_empty() {
            text.push_str(label);
            text.push('\n');
        }
        for line in quote.lines() {
            text.push_str("> ");
            text.push_str(line);
            text.push('\n');
        }
        text.push('\n');
    }
    for (label, url) in &words.links {
        if label.is_empty() {
            text.push_str(&format!("{url}\n\n"));
        } else {
            text.push_str(&format!("{label} {url}\n\n"));
        }
    }
    for paragraph in &words.closing {
        text.push_str(paragraph);
        text.push_str("\n\n");
    }
    if let Some(url) = &words.unsubscribe {
        text.push_str(&format!("{} {url}\n\n", l.mail_unsubscribe));
    }
    text.push_str(&format!("-- \n{}\n", l.mail_signature));
    text
}

fn html_part(l: &Labels, mail: &Mail, words: &Words) -> Markup {
    let direction = if mail.language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    html! {
        (DOCTYPE)
        html lang=(mail.language.code()) dir=(direction) {
            head { meta charset="utf-8"; title { (words.subject) } }
            body style="font-family: Arial, sans-serif; line-height: 1.5; color: #1a1a1a;" {
                @for paragraph in &words.paragraphs { p { (paragraph) } }
                @if let Some((label, quote)) = &words.quote {
                    @if !label.is_empty() { p { (label) } }
                    blockquote style="border-inline-start: 3px solid #009edb; margin: 0; padding: 0 1em;" {
                        @for line in quote.lines() { (line) br; }
                    }
                }
                @for (label, url) in &words.links {
                    p { @if !label.is_empty() { (label) " " } a href=(url) { (url) } }
                }
                @for paragraph in &words.closing { p { (paragraph) } }
                @if let Some(url) = &words.unsubscribe {
                    p style="font-size: 0.9em;" { (l.mail_unsubscribe) " " a href=(url) { (url) } }
                }
                p style="color: #4d4d4d; font-size: 0.9em;" { (l.mail_signature) }
            }
        }
    }
}

/// `List-Unsubscribe` (RFC 2369) and its one-click companion (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// The host part of Message-IDs: the public address's host.
fn id_domain(public_url: &str) -> &str {
    public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|host| !host.is_empty())
        .unwrap_or("compendium.invalid")
}

/// The whole message, ready to send.
pub fn compose(
    mail: &Mail,
    from: &Mailbox,
    public_url: &str,
    links: &Links,
) -> Result<Message, String> {
    let l = labels(mail.language);
    let words = words(l, mail, public_url, links)?;
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| format!("recipient {}: {e}", mail.recipient))?;
    let mut builder = Message::builder();
    if let Some(url) = &words.unsubscribe {
        builder = builder
            .header(ListUnsubscribe(url.clone()))
            .header(ListUnsubscribePost);
    }
    builder
        .from(from.clone())
        .to(to)
        .subject(words.subject.clone())
        .message_id(Some(format!("<{}@{}>", mail.id, id_domain(public_url))))
        .date(mail.created_at.into())
        .multipart(
            MultiPart::alternative()
                // Not random: every attempt sends the same bytes.
                .boundary(format!("=_compendium_{}", mail.id))
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text_part(l, &words)),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html_part(l, mail, &words).into_string()),
                ),
        )
        .map_err(|e| format!("cannot build the message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::notice::ConfirmationNotice;
    use crate::domain::outbox::MailStatus;
    use chrono::TimeZone;

    /// A workflow notice of the kind `kind` (a variant of `Notice`).
    fn mail(
        kind: fn(SubmissionNotice) -> Notice,
        language: Language,
        message: Option<&str>,
    ) -> Mail {
        Mail {
            id: "0193-mail".to_owned(),
            recipient: "focal@example.org".to_owned(),
            language,
            kind: "changes_requested".to_owned(),
            notice: Ok(kind(SubmissionNotice::example(message))),
            status: MailStatus::Pending,
            attempts: 0,
            next_attempt_at: chrono::Utc::now(),
            last_error: None,
            created_at: chrono::Utc
                .with_ymd_and_hms(2026, 11, 29, 10, 0, 0)
                .unwrap(),
            sent_at: None,
        }
    }

    fn links() -> Links {
        Links::new(&crate::auth::keys::SigningKeys::single(
            b"a test secret that is long enough".to_vec(),
        ))
    }

    fn from() -> Mailbox {
        "Compendium <compendium@un.example>".parse().unwrap()
    }

    #[test]
    fn a_notice_has_both_parts_a_link_and_a_stable_id() {
        let composed = || {
            let mail = mail(
                Notice::ChangesRequested,
                Language::Fr,
                Some("Ajoutez l’item 11."),
            );
            compose(&mail, &from(), "https://compendium.un.example", &links()).unwrap()
        };
        let message = composed();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(
            text.contains("Message-ID: <0193-mail@compendium.un.example>"),
            "{text}"
        );
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("text/plain") && text.contains("text/html"));
        assert!(text.contains("https://compendium.un.example/desk/submissions/s1"));
        // Composing again gives the same message.
        assert_eq!(message.formatted(), composed().formatted());
    }

    #[test]
    fn the_html_part_escapes_and_follows_the_language() {
        let l = labels(Language::Ar);
        let m = mail(Notice::Rejected, Language::Ar, Some("<script>x</script>"));
        let words = words(l, &m, "https://x", &links()).unwrap();
        let html = html_part(l, &m, &words).into_string();
        assert!(html.contains("dir=\"rtl\""));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("National plan &lt;2026&gt;"));
        assert!(words.subject.starts_with("لم تُقبل"));
        // The State is named in the mail's language, not as it was stored.
        assert!(html.contains("كينيا") && !html.contains("Kenya"), "{html}");
    }

    #[test]
    fn a_mail_queued_without_the_entity_code_names_it_as_stored() {
        let l = labels(Language::Ru);
        let mut m = mail(Notice::Accepted, Language::Ru, None);
        if let Ok(Notice::Accepted(notice)) = &mut m.notice {
            notice.entity.clear();
        }
        let words = words(l, &m, "https://x", &links()).unwrap();
        let html = html_part(l, &m, &words).into_string();
        assert!(html.contains("Kenya") && !html.contains("Кения"), "{html}");
    }

    // Unknown kinds no longer reach here: the store refuses to read them
    // (`domain::notice`'s tests).
    #[test]
    fn bad_expiries_and_addresses_are_errors_not_panics() {
        let mut expired = mail(Notice::Accepted, Language::En, None);
        expired.notice = Ok(Notice::ConfirmSubscription(ConfirmationNotice {
            subscription_id: "sub1".to_owned(),
            nonce: "n1".to_owned(),
            expires: i64::MAX,
        }));
        assert!(compose(&expired, &from(), "https://x", &links()).is_err());
        let mut bad = mail(Notice::Accepted, Language::En, None);
        bad.recipient = "not an address".to_owned();
        assert!(compose(&bad, &from(), "https://x", &links()).is_err());
    }

    #[test]
    fn a_notice_this_version_cannot_read_is_a_failed_attempt_naming_its_kind() {
        let mut unreadable = mail(Notice::Accepted, Language::En, None);
        unreadable.kind = "from_a_newer_version".to_owned();
        unreadable.notice = Err("unknown variant".to_owned());
        let error = compose(&unreadable, &from(), "https://x", &links()).unwrap_err();
        assert!(error.contains("from_a_newer_version"), "{error}");
    }
}
