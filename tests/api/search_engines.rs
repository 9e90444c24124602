//! What search engines read: `robots.txt`, the sitemap (one file, then an
//! index past its limit, here lowered to 4 addresses), every page's six
//! language versions as absolute `hreflang` alternates, and schema.org
//! JSON-LD on practice and edition pages.

use std::collections::BTreeSet;

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::helpers::{backends, TestApp};

const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const BASE: &str = "https://compendium.un.example";

/// The addresses a sitemap or index lists, and how many alternates each has.
fn locations(app: &TestApp, path: &str) -> Vec<(String, usize)> {
    let answer = app.get(path);
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    assert_eq!(
        answer.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    let document = roxmltree::Document::parse(&answer.body).expect("well-formed XML");
    document
        .descendants()
        .filter(|n| n.has_tag_name((SITEMAP, "url")) || n.has_tag_name((SITEMAP, "sitemap")))
        .map(|entry| {
            let loc = entry
                .children()
                .find(|n| n.has_tag_name((SITEMAP, "loc")))
                .and_then(|n| n.text())
                .unwrap_or_default()
                .to_owned();
            let alternates = entry
                .children()
                .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
                .count();
            (loc, alternates)
        })
        .collect()
}

/// The JSON-LD a page carries.
fn linked_data(app: &TestApp, path: &str) -> Value {
    let page = app.get(path);
    assert_eq!(page.status, 200, "{path}");
    let start = page
        .body
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD on the page");
    let rest = &page.body[start..];
    let json =
        &rest[rest.find('>').expect("the tag ends") + 1..rest.find("</script>").expect("closed")];
    serde_json::from_str(json).expect("JSON")
}

#[test]
fn search_engines_find_every_page_in_six_languages() {
    for backend in backends() {
        let app = TestApp::spawn_with(backend, |s| {
            s.harvest.sitemap_urls_per_file = 4;
            s.http.public_url = BASE.to_owned();
        });
        let robots = app.get("/robots.txt");
        assert_eq!(robots.status, 200);
        assert!(robots
            .body
            .contains(&format!("Sitemap: {BASE}/sitemap.xml")));
        assert!(robots.body.contains("Disallow: /desk/"));

        // Three fixed pages: one sitemap.
        let empty = locations(&app, "/sitemap.xml");
        assert_eq!(
            empty,
            [("/", 7), ("/compilations", 7), ("/coverage", 7)]
                .map(|(p, n)| (format!("{BASE}{p}"), n))
        );

        let editor = app.user(Role::Editor, None);
        let mut practices = Vec::new();
        for (entity, language, title) in [
            ("KEN", "en", "Kenya"),
            ("FRA", "fr", "France"),
            ("AU", "en", "Union"),
        ] {
            let id = app.accept_new(
                &editor,
                &json!({"entity": entity, "language": language, "title": title,
                    "practices": [
                        {"title": format!("{title} CERT"), "body": format!("The {title} </script> team."), "items": [10]},
                        {"title": format!("{title} law"), "body": "A law.", "items": [13]}]}),
            );
            let view = app.get_as(&editor.token, &format!("/api/v1/submissions/{id}"));
            for practice in view.json()["practices"].as_array().expect("practices") {
                practices.push(practice["id"].as_str().expect("an id").to_owned());
            }
        }
        let (edition, _) = app.publish_compilation(&editor, &json!({"title": "Edition <one>"}));

        // 3 pages + 1 edition + 6 practices, 4 a file: an index.
        let index = locations(&app, "/sitemap.xml");
        assert_eq!(
            index
                .iter()
                .map(|(loc, _)| loc.as_str())
                .collect::<Vec<_>>(),
            [
                format!("{BASE}/sitemaps/pages.xml"),
                format!("{BASE}/sitemaps/practices-1.xml"),
                format!("{BASE}/sitemaps/practices-2.xml")
            ]
        );
        let mut listed = BTreeSet::new();
        for (loc, _) in &index {
            let path = loc.strip_prefix(BASE).expect("on the public URL");
            let urls = locations(&app, path);
            assert!(
                urls.len() <= 4 && urls.iter().all(|(_, n)| *n == 7),
                "{urls:?}"
            );
            listed.extend(urls.into_iter().map(|(loc, _)| loc));
        }
        let mut expected: BTreeSet<String> = ["/", "/compilations", "/coverage"]
            .iter()
            .map(|p| format!("{BASE}{p}"))
            .collect();
        expected.insert(format!("{BASE}/compilations/{edition}"));
        expected.extend(practices.iter().map(|p| format!("{BASE}/practices/{p}")));
        assert_eq!(listed, expected);
        for missing in [
            "/sitemaps/practices-3.xml",
            "/sitemaps/practices-01.xml",
            "/sitemaps/other.xml",
        ] {
            app.get(missing).problem(404);
        }

        // A practice page: absolute alternates, and what it is.
        let page = app.get(&format!("/practices/{}?lang=fr", practices[0]));
        for code in ["ar", "zh", "en", "fr", "ru", "es"] {
            assert!(
                page.body.contains(&format!(
                    r#"<link rel="alternate" hreflang="{code}" href="{BASE}/practices/{}?lang={code}">"#,
                    practices[0]
                )),
                "{code}"
            );
        }
        assert!(page.body.contains(&format!(
            r#"<link rel="alternate" hreflang="x-default" href="{BASE}/practices/{}">"#,
            practices[0]
        )));
        let practice = linked_data(&app, &format!("/practices/{}", practices[0]));
        assert_eq!(practice["@type"], "CreativeWork");
        assert_eq!(
            practice["url"],
            format!("{BASE}/practices/{}", practices[0])
        );
        assert_eq!(practice["name"], "Kenya CERT");
        assert_eq!(practice["description"], "The Kenya </script> team.");
        assert_eq!(practice["inLanguage"], "en");
        assert_eq!(
            practice["author"],
            json!({"@type": "GovernmentOrganization", "name": "Kenya"})
        );
        assert_eq!(practice["about"][0]["termCode"], "10");
        let union = linked_data(&app, &format!("/practices/{}", practices[4]));
        assert_eq!(union["author"]["@type"], "Organization");

        let report = linked_data(&app, &format!("/compilations/{edition}?lang=fr"));
        assert_eq!(report["@type"], "Report");
        assert_eq!(report["name"], "Edition <one>");
        assert_eq!(report["inLanguage"], "fr");
        assert!(report["reportNumber"]
            .as_str()
            .is_some_and(|n| n.contains('/')));
        let formats: Vec<&str> = report["encoding"]
            .as_array()
            .expect("downloads")
            .iter()
            .filter_map(|e| e["contentUrl"].as_str())
            .collect();
        assert_eq!(formats.len(), 5);
        assert!(formats.iter().all(|url| url.starts_with(&format!(
            "{BASE}/api/v1/compilations/{edition}/export?format="
        ))));
    }
}
