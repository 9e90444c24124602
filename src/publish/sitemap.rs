//! Sitemaps (sitemaps.org 0.9) and `robots.txt`, so search engines find
//! every practice and edition: each page listed once, with its six
//! language versions as `hreflang` alternates. A sitemap holds at most
//! 50,000 addresses; past that, `/sitemap.xml` is an index of several.

use chrono::{DateTime, Utc};

use super::xml::{escaped, utc_seconds};
use crate::domain::Language;

/// The protocol's limit of addresses in one sitemap file.
pub const MAX_URLS: usize = 50_000;

/// How the site's addresses are split between files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// `/sitemap.xml` lists everything.
    Single,
    /// `/sitemap.xml` is an index of `/sitemaps/pages.xml` (the fixed pages
    /// and the editions) and `/sitemaps/practices-1.xml`… of this many.
    Index { practice_files: usize },
}

/// Splits `pages` fixed pages and `practices` practices into files of at
/// most `per_file` addresses.
pub fn plan(pages: usize, practices: usize, per_file: usize) -> Plan {
    let per_file = per_file.clamp(1, MAX_URLS);
    if pages + practices <= per_file {
        Plan::Single
    } else {
        Plan::Index {
            practice_files: practices.div_ceil(per_file),
        }
    }
}

/// One page of the site.
pub struct Url {
    /// Its path, from the site's root (`/practices/…`).
    pub path: String,
    pub last_modified: Option<DateTime<Utc>>,
}

/// A sitemap of pages under `base` (the public URL, without a trailing
/// slash), each with its alternates: `?lang=` for each language, and the
/// address without it (which follows the reader's browser) as the default.
pub fn urlset(base: &str, urls: &[Url]) -> String {
    let mut xml = String::with_capacity(256 + urls.len() * 900);
    xml.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" ",
        "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    ));
    for url in urls {
        let loc = escaped(&format!("{base}{}", url.path));
        let separator = if url.path.contains('?') { "&amp;" } else { "?" };
        xml.push_str(&format!("<url><loc>{loc}</loc>"));
        if let Some(at) = &url.last_modified {
            xml.push_str(&format!("<lastmod>{}</lastmod>", utc_seconds(at)));
        }
        for language in Language::ALL {
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{code}\" href=\"{loc}{separator}lang={code}\"/>",
                code = language.code()
            ));
        }
        xml.push_str(&format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{loc}\"/></url>\n"
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// A sitemap index of the files at these paths.
pub fn index(base: &str, paths: &[String]) -> String {
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    ));
    for path in paths {
        xml.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            escaped(&format!("{base}{path}"))
        ));
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

/// `robots.txt`: the reader site and the editions' exports are for
/// everyone; the desk, the rest of the API and the subscription steps are
/// not pages to index.
pub fn robots(base: &str) -> String {
    format!(
        "User-agent: *\n\
         Allow: /api/v1/compilations/\n\
         Disallow: /api/\n\
         Disallow: /desk/\n\
         Disallow: /subscriptions\n\
         Disallow: /oai\n\
         \n\
         Sitemap: {base}/sitemap.xml\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_until_the_limit_then_an_index() {
        assert_eq!(plan(3, 0, MAX_URLS), Plan::Single);
        assert_eq!(plan(3, MAX_URLS - 3, MAX_URLS), Plan::Single);
        assert_eq!(
            plan(3, MAX_URLS - 2, MAX_URLS),
            Plan::Index { practice_files: 1 }
        );
        assert_eq!(
            plan(10, 100_001, MAX_URLS),
            Plan::Index { practice_files: 3 }
        );
        // A setting above the protocol's limit is held to it.
        assert_eq!(
            plan(0, MAX_URLS + 1, 10 * MAX_URLS),
            Plan::Index { practice_files: 2 }
        );
    }

    #[test]
    fn every_page_names_its_language_versions() {
        let xml = urlset(
            "https://compendium.example",
            &[Url {
                path: "/practices/p&1".to_owned(),
                last_modified: DateTime::from_timestamp(1_700_000_000, 0),
            }],
        );
        assert!(xml.contains("<loc>https://compendium.example/practices/p&amp;1</loc><lastmod>2023-11-14T22:13:20Z</lastmod>"));
        assert!(xml.contains(
            "<xhtml:link rel=\"alternate\" hreflang=\"zh\" href=\"https://compendium.example/practices/p&amp;1?lang=zh\"/>"
        ));
        assert!(xml.contains(
            "hreflang=\"x-default\" href=\"https://compendium.example/practices/p&amp;1\"/></url>"
        ));
        assert_eq!(xml.matches("<xhtml:link").count(), 7);
    }

    #[test]
    fn robots_name_the_sitemap() {
        let robots = robots("https://compendium.example");
        assert!(robots.ends_with("Sitemap: https://compendium.example/sitemap.xml\n"));
        assert!(robots.contains("Disallow: /desk/\n"));
    }
}
