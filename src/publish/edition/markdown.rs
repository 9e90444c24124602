//! A compilation in Markdown, for editors who turn it into a word-processor
//! document or a PDF with their own tools. Titles and citations are escaped
//! so they stay text; bodies are the focal points' Markdown as submitted,
//! with their headings moved below the entry's.

use super::{citation, other_items, status_line, Reading};
use crate::domain::annex::annex;
use crate::domain::compilation::Compilation;
use crate::domain::compilation::{grouped, Entry};

/// Markdown's punctuation made literal, so a title is read as text.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        // A title on several lines would end its heading early.
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

/// The body with each ATX heading (`#`) pushed down `by` levels (at most
/// six), leaving fenced code alone.
fn demoted(body: &str, by: usize) -> String {
    let mut out = String::with_capacity(body.len() + 16);
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m => fence = None,
            _ => {}
        }
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        let heading = fence.is_none()
            && marker.is_none()
            && (1..=6).contains(&hashes)
            && trimmed[hashes..].starts_with([' ', '\t']);
        if heading {
            let level = (hashes + by).min(6);
            out.push_str(&"#".repeat(level));
            out.push_str(&trimmed[hashes..]);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn write_entry(reading: &Reading<'_>, entry: &Entry, out: &mut String) {
    let text = reading.text(entry);
    out.push_str(&format!("#### {}\n\n", escaped(text.title)));
    out.push_str(&format!("*{}*\n\n", escaped(&citation(reading, entry))));
    if let Some(note) = reading.translation_note(entry) {
        out.push_str(&format!("> *{}*\n\n", escaped(&note)));
    }
    out.push_str(demoted(text.body, 4).trim_end());
    out.push_str("\n\n");
    if let Some(others) = other_items(reading.labels, reading.language, entry) {
        out.push_str(&format!("*{}*\n\n", escaped(&others)));
    }
}

/// The whole compilation, in the reading's language.
pub fn document(reading: &Reading<'_>, compilation: &Compilation, entries: &[Entry]) -> String {
    let (l, language) = (reading.labels, reading.language);
    let annex = annex();
    let groups = grouped(entries);
    let mut out = String::with_capacity(entries.len() * 1024 + 4096);
    out.push_str(&format!("# {}\n\n", escaped(&compilation.title)));
    out.push_str(&format!("{}\n\n", escaped(&l.site_tagline)));
    out.push_str(&format!(
        "**{}**\n\n",
        escaped(&status_line(l, compilation))
    ));
    if let Some(introduction) = &compilation.introduction {
        out.push_str(&format!(
            "## {}\n\n{}\n\n",
            l.introduction,
            demoted(introduction, 2).trim_end()
        ));
    }
    out.push_str(&format!("## {}\n\n", l.contents));
    for (section, items) in &groups {
        out.push_str(&format!(
            "- {section}. {}\n",
            escaped(annex.section(*section).title.get(language))
        ));
        for (item, listed) in items {
            out.push_str(&format!(
                "  - {item}. {} ({})\n",
                escaped(annex.item(*item).title.get(language)),
                listed.len()
            ));
        }
    }
    out.push('\n');
    for (section, items) in &groups {
        out.push_str(&format!(
            "## {section}. {}\n\n",
            escaped(annex.section(*section).title.get(language))
        ));
        for (item, listed) in items {
            let text = annex.item(*item);
            out.push_str(&format!(
                "### {item}. {}\n\n",
                escaped(text.title.get(language))
            ));
            out.push_str(&format!("> {}\n\n", escaped(text.summary.get(language))));
            for entry in listed {
                write_entry(reading, entry, &mut out);
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::edition::fixture;

    #[test]
    fn the_document_reads_section_item_entry() {
        let (compilation, entries) = fixture::edition();
        let md = document(&Reading::english(), &compilation, &entries);
        assert!(md.starts_with("# First compilation\n\n"));
        assert!(md.contains("**Edition 2027/1 · Published on 2027-01-05 · Practices: 2**"));
        assert!(md.contains("- A. Taking stock of cybersecurity needs and strategies\n  - 4. National strategy and its goals (1)\n"));
        let a = md.find("## A. ").unwrap();
        let f = md.find("## F. ").unwrap();
        assert!(a < f);
        assert!(md.contains("#### KE\\-CIRT \\<24/7\\>") || md.contains("#### KE-CIRT \\<24/7\\>"));
        assert!(md.contains("##### Duty"));
        assert!(
            md.contains("*Kenya (Member State) · submission sub\\-p2")
                || md.contains("*Kenya (Member State) · submission sub-p2")
        );
        assert!(md.ends_with(".\n") || md.ends_with("*\n"));
    }

    #[test]
    fn headings_move_down_but_not_in_code() {
        let body = "# Top\ntext #not\n```\n# code\n```\n## Sub\n####### seven";
        assert_eq!(
            demoted(body, 4),
            "##### Top\ntext #not\n```\n# code\n```\n###### Sub\n####### seven\n"
        );
    }

    #[test]
    fn titles_stay_text() {
        assert_eq!(
            escaped("*bold* [link](x) <b>\nnext"),
            "\\*bold\\* \\[link\\](x) \\<b\\> next"
        );
    }
}
