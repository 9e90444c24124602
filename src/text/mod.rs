//! Text handling shared by search, tagging, pages and renderers: safe
//! Markdown, escaping, and the per-language analyzers. It lives low so that
//! the rooms that read text agree on it without depending on each other.

pub mod analyzers;
pub mod collation;
pub mod concepts;
mod escape;
pub mod markdown;

pub use escape::escape_html;

/// The first `chars` characters of `text`, with `…` when some were cut.
pub fn shortened(text: &str, chars: usize) -> String {
    let mut cut: String = text.chars().take(chars).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortened_text_says_it_was_cut() {
        assert_eq!(shortened("Équipe nationale", 6), "Équipe…");
        assert_eq!(shortened("Équipe", 6), "Équipe");
        assert_eq!(shortened("", 6), "");
    }
}
