//! Practice bodies are Markdown written by focal points. Pages and
//! compilations show them as HTML; the search index and snippets read
//! them as plain text, without the Markdown's punctuation.
//!
//! The HTML is safe by construction rather than by cleaning afterwards: raw HTML
//! in the source is shown as text, never passed through; the only tags that
//! reach the page are those the Markdown renderer writes, and links are
//! written here, with their address checked against a list of safe schemes.
//! So no `<script>`, no event handler and no `javascript:` link can appear,
//! whatever the body holds.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::text::escape_html;

/// Schemes a link may use; an address without a scheme is relative to the
/// page and therefore safe.
const SAFE_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The link's address if it is safe to follow, else `None`.
fn safe_href(address: &str) -> Option<String> {
    // Browsers ignore ASCII whitespace and control characters inside a
    // URL ("java\tscript:"), so the check must see the address as they do.
    let seen: String = address
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    if seen.is_empty() {
        return None;
    }
    let scheme_end = seen.find(':');
    let path_start = seen.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (Some(colon), Some(slash)) if slash < colon => Some(seen),
        (Some(colon), _) => {
            let scheme = seen[..colon].to_ascii_lowercase();
            SAFE_SCHEMES.contains(&scheme.as_str()).then_some(seen)
        }
        (None, _) => Some(seen),
    }
}

/// A body's headings sit under the headings of the page or document that
/// shows it: its `#` becomes an h`top`, `##` the next level, and so on.
fn demoted(level: HeadingLevel, top: u8) -> HeadingLevel {
    let depth = level as u8 - 1;
    match top.saturating_add(depth).min(6) {
        0..=1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn opening_link(href: &str) -> String {
    let mut tag = String::from("<a href=\"");
    escape_html(href, &mut tag);
    tag.push_str("\" rel=\"nofollow noopener noreferrer\">");
    tag
}

/// The body as HTML that is safe to put in a page as it is; its `#`
/// headings become h`top`.
pub fn to_safe_html(markdown: &str, top: u8) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // For each open link or image: whether it was written as a link.
    let mut open_links: Vec<bool> = Vec::new();
    // Inside an image its alt text arrives as text events; it becomes the
    // text of a link to the image (images are not loaded from elsewhere).
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            match safe_href(&dest_url) {
                Some(href) => {
                    open_links.push(true);
                    Event::InlineHtml(CowStr::from(opening_link(&href)))
                }
                None => {
                    open_links.push(false);
                    Event::Text(CowStr::Borrowed(""))
                }
            }
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            if open_links.pop().unwrap_or(false) {
                Event::InlineHtml(CowStr::Borrowed("</a>"))
            } else {
                Event::Text(CowStr::Borrowed(""))
            }
        }
        Event::Start(Tag::Heading { level, .. }) => Event::Start(Tag::Heading {
            level: demoted(level, top),
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demoted(level, top))),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The text a reader sees, without markup: what search matches and quotes.
/// Raw HTML stays as the text it is shown as; link addresses are dropped.
pub fn to_plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_),
            ) if !text.ends_with(char::is_whitespace) => text.push('\n'),
            _ => {}
        }
    }
    text.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_the_markup_and_keeps_the_words() {
        let text = to_plain_text(
            "# Plan\n\nA **national** [CERT](https://cert.example) `24/7`.\n\n- one\n- two\n\n<b>raw</b>",
        );
        assert_eq!(text, "Plan\nA national CERT 24/7.\none\ntwo\n<b>raw</b>");
    }

    #[test]
    fn markdown_becomes_html() {
        let html = to_safe_html("# Plan\n\nA *national* CERT.\n\n- one\n- two", 3);
        assert!(html.contains("<h3>Plan</h3>"), "{html}");
        assert!(html.contains("<em>national</em>"));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_safe_html(
            "Before <script>alert(1)</script> after\n\n<img src=x onerror=\"alert(2)\">\n\n<div onclick=\"x()\">d</div>",
            3,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn dangerous_links_lose_their_address_and_keep_their_text() {
        for address in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "javascript&#58;alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
        ] {
            let html = to_safe_html(&format!("[click](<{address}>) and [again]({address})"), 3);
            assert!(!html.contains("<a"), "{address}: {html}");
            assert!(
                !html.to_ascii_lowercase().contains("href"),
                "{address}: {html}"
            );
            assert!(html.contains("click"), "{address}: {html}");
        }
    }

    #[test]
    fn safe_links_are_kept_and_do_not_pass_the_referrer() {
        let html = to_safe_html(
            "[ITU](https://www.itu.int/) [mail](mailto:cert@example.org) [here](/practices/1) [q](\"onmouseover=\"x)",
            3,
        );
        assert!(html.contains(
            "<a href=\"https://www.itu.int/\" rel=\"nofollow noopener noreferrer\">ITU</a>"
        ));
        assert!(html.contains("href=\"mailto:cert@example.org\""));
        assert!(html.contains("href=\"/practices/1\""));
        assert!(!html.contains(" onmouseover="), "{html}");
    }

    #[test]
    fn body_headings_sit_under_the_given_level() {
        let html = to_safe_html("# One\n\n## Two\n\n###### Six", 5);
        assert!(html.contains("<h5>One</h5>"), "{html}");
        assert!(html.contains("<h6>Two</h6>"), "{html}");
        assert!(html.contains("<h6>Six</h6>"), "{html}");
    }

    #[test]
    fn images_become_links_to_them() {
        let html = to_safe_html(
            "![diagram](https://example.org/d.png) ![x](javascript:alert(1))",
            3,
        );
        assert!(html.contains("<a href=\"https://example.org/d.png\""));
        assert!(html.contains(">diagram</a>"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("javascript"));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// Markdown made of the pieces attacks are made of.
        fn hostile() -> impl Strategy<Value = String> {
            const PIECES: &[&str] = &[
                "<script>",
                "</script>",
                "alert(1)",
                "<img src=x onerror=alert(1)>",
                "[a](javascript:alert(1))",
                "[b](JaVaScRiPt:x)",
                "![c](data:text/html,x)",
                "[d](<java\tscript:x>)",
                "<a href=\"javascript:x\">",
                "onmouseover=",
                "<svg onload=x>",
                "<iframe src=x>",
                "[e](https://ok.example/)",
                "[f](/relative)",
                "[g]: javascript:x\n[g]",
                "\n",
                "\n\n",
                "*",
                "**",
                "#",
                "`",
                "```",
                "> ",
                "| a | b |\n|---|---|\n",
                "- ",
                "1. ",
                "[",
                "]",
                "(",
                ")",
                "<",
                ">",
                "\"",
                "'",
                "&",
                "&#58;",
                "text",
                " ",
            ];
            crate::testing::texts_of(PIECES, 40)
        }

        /// What the renderer may write; never an image, a frame, a script.
        const TAGS: [&str; 25] = [
            "p",
            "h3",
            "h4",
            "h5",
            "h6",
            "em",
            "strong",
            "del",
            "a",
            "ul",
            "ol",
            "li",
            "code",
            "pre",
            "blockquote",
            "hr",
            "br",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "h1",
            "h2",
        ];

        /// Every tag of the output (text is escaped, so each `<` opens one).
        fn tags(html: &str) -> Vec<&str> {
            html.split('<')
                .skip(1)
                .filter_map(|rest| rest.split('>').next())
                .collect()
        }

        proptest! {
            #![proptest_config(crate::testing::config())]

            #[test]
            fn nothing_executable_survives(markdown in hostile()) {
                let html = to_safe_html(&markdown, 3);
                for tag in tags(&html) {
                    let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
                    prop_assert!(TAGS.contains(&name), "tag <{}> in {}", tag, html);
                    let lower = tag.to_ascii_lowercase();
                    for attribute in lower.split_whitespace().skip(1) {
                        prop_assert!(!attribute.starts_with("on"), "handler in <{}>", tag);
                    }
                    if let Some(start) = lower.find("href=\"") {
                        let value = &lower[start + 6..];
                        for scheme in ["javascript:", "vbscript:", "data:"] {
                            prop_assert!(!value.starts_with(scheme), "{} link in <{}>", scheme, tag);
                        }
                    }
                }
            }

            #[test]
            fn any_text_renders(text in any::<String>()) {
                let html = to_safe_html(&text, 3);
                prop_assert!(!html.contains("<script"));
                let _ = to_plain_text(&text);
            }
        }
    }
}
