//! Turning an outbox row into a message: subject, a plain-text part and
//! an HTML part in the recipient's language, links back to the resource.
//! Composition is a pure function of the row, so every attempt sends the
//! same message with the same Message-ID.

use chrono::DateTime;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;

use super::links::Links;
use crate::annex::{annex, SectionId};
use crate::i18n::{fill, labels, Labels};
use crate::store::outbox::Mail;

/// The kinds of mail, as the outbox records them.
pub const CHANGES_REQUESTED: &str = "changes_requested";
pub const ACCEPTED: &str = "accepted";
pub const REJECTED: &str = "rejected";
pub const NEW_SUBMISSION: &str = "new_submission";
pub const CONFIRM_SUBSCRIPTION: &str = "confirm_subscription";
pub const PUBLICATION: &str = "publication";

/// What a workflow notice says.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct SubmissionNotice {
    pub submission_id: String,
    pub title: String,
    pub entity_name: String,
    /// The editor's request, the acceptance note or the rejection reason.
    pub message: Option<String>,
}

/// What a confirmation mail needs.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct ConfirmationNotice {
    pub subscription_id: String,
    /// Until when the link works (seconds since the epoch).
    pub expires: i64,
}

/// What a publication announcement says.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct PublicationNotice {
    pub compilation_id: String,
    pub number: String,
    pub title: String,
    /// Entries per annex section, in order.
    pub sections: Vec<(SectionId, i64)>,
    /// For a subscriber: the subscription the unsubscribe link ends.
    pub subscription_id: Option<String>,
}

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

fn parse<T: serde::de::DeserializeOwned>(mail: &Mail) -> Result<T, String> {
    serde_json::from_value(mail.payload.clone())
        .map_err(|e| format!("payload of {}: {e}", mail.kind))
}

fn notice_words(l: &Labels, mail: &Mail, public_url: &str) -> Result<Words, String> {
    let notice: SubmissionNotice = parse(mail)?;
    let values = [
        ("title", notice.title.as_str()),
        ("entity", notice.entity_name.as_str()),
    ];
    let (subject, text, quote_label) = match mail.kind.as_str() {
        CHANGES_REQUESTED => (
            &l.mail_changes_requested_subject,
            &l.mail_changes_requested_text,
            None,
        ),
        ACCEPTED => (
            &l.mail_accepted_subject,
            &l.mail_accepted_text,
            Some(&l.mail_note),
        ),
        REJECTED => (&l.mail_rejected_subject, &l.mail_rejected_text, None),
        _ => (
            &l.mail_new_submission_subject,
            &l.mail_new_submission_text,
            None,
        ),
    };
    let quote = notice
        .message
        .filter(|m| !m.trim().is_empty())
        .map(|m| (quote_label.map(|q| q.to_string()).unwrap_or_default(), m));
    Ok(Words {
        subject: fill(subject, &values),
        paragraphs: vec![fill(text, &values)],
        quote,
        links: vec![(
            l.mail_open.clone(),
            format!("{public_url}/api/v1/submissions/{}", notice.submission_id),
        )],
        closing: Vec::new(),
        unsubscribe: None,
    })
}

fn words(l: &Labels, mail: &Mail, public_url: &str, links: &Links) -> Result<Words, String> {
    let language = mail.language.code();
    match mail.kind.as_str() {
        CHANGES_REQUESTED | ACCEPTED | REJECTED | NEW_SUBMISSION => {
            notice_words(l, mail, public_url)
        }
        CONFIRM_SUBSCRIPTION => {
            let notice: ConfirmationNotice = parse(mail)?;
            let expires = DateTime::from_timestamp(notice.expires, 0)
                .ok_or_else(|| format!("expiry {} of a confirmation", notice.expires))?;
            let token = links.confirm_token(&notice.subscription_id, expires);
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
        PUBLICATION => {
            let notice: PublicationNotice = parse(mail)?;
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
                unsubscribe: notice.subscription_id.map(|id| {
                    format!(
                        "{public_url}/subscriptions/unsubscribe?token={}&lang={language}",
                        links.unsubscribe_token(&id)
                    )
                }),
            })
        }
        other => Err(format!("no message for mail of kind {other}")),
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
    use crate::domain::Language;
    use crate::store::outbox::MailStatus;
    use chrono::TimeZone;

    fn mail(kind: &str, language: Language, message: Option<&str>) -> Mail {
        Mail {
            id: "0193-mail".to_owned(),
            kind: kind.to_owned(),
            recipient: "focal@example.org".to_owned(),
            language,
            payload: serde_json::to_value(SubmissionNotice {
                submission_id: "s1".to_owned(),
                title: "National plan <2026>".to_owned(),
                entity_name: "Kenya".to_owned(),
                message: message.map(str::to_owned),
            })
            .unwrap(),
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
        let message = compose(
            &mail(CHANGES_REQUESTED, Language::Fr, Some("Ajoutez l’item 11.")),
            &from(),
            "https://compendium.un.example",
            &links(),
        )
        .unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(
            text.contains("Message-ID: <0193-mail@compendium.un.example>"),
            "{text}"
        );
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("text/plain") && text.contains("text/html"));
        assert!(text.contains("https://compendium.un.example/api/v1/submissions/s1"));
        // Composing again gives the same message.
        let again = compose(
            &mail(CHANGES_REQUESTED, Language::Fr, Some("Ajoutez l’item 11.")),
            &from(),
            "https://compendium.un.example",
            &links(),
        )
        .unwrap();
        assert_eq!(message.formatted(), again.formatted());
    }

    #[test]
    fn the_html_part_escapes_and_follows_the_language() {
        let l = labels(Language::Ar);
        let m = mail(REJECTED, Language::Ar, Some("<script>x</script>"));
        let words = words(l, &m, "https://x", &links()).unwrap();
        let html = html_part(l, &m, &words).into_string();
        assert!(html.contains("dir=\"rtl\""));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("National plan &lt;2026&gt;"));
        assert!(words.subject.starts_with("لم تُقبل"));
    }

    #[test]
    fn unknown_kinds_and_addresses_are_errors_not_panics() {
        assert!(compose(
            &mail("nonsense", Language::En, None),
            &from(),
            "https://x",
            &links()
        )
        .is_err());
        let mut bad = mail(ACCEPTED, Language::En, None);
        bad.recipient = "not an address".to_owned();
        assert!(compose(&bad, &from(), "https://x", &links()).is_err());
    }
}
