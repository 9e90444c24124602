//! The reader pages over HTTP: languages, search with facets and pages,
//! practice pages, error pages, caching, compression and security headers.
//! What only a browser can tell (a script that did not run, the layout) is
//! in `browser.rs`.

use compendium::domain::account::Role;
use compendium::domain::Language;
use compendium::i18n::labels;
use serde_json::{json, Value};

use crate::helpers::{each_backend, Answer, Backend, TestApp, TestUser};

fn html_of(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut all = vec![("accept", "text/html,application/xhtml+xml")];
    all.extend_from_slice(headers);
    app.call_with("GET", path, None, None, &all)
}

fn page(app: &TestApp, path: &str) -> String {
    let answer = html_of(app, path, &[]);
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    answer.body
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// The text of the element with this id (its first text, up to a tag).
fn text_of<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element #{id} in {html}"));
    let open = start + html[start..].find('>').unwrap() + 1;
    let end = open + html[open..].find('<').unwrap();
    &html[open..end]
}

/// 22 English practices on item 11 from the United Kingdom, 2 French on
/// item 18 from France, 1 Arabic on item 13 from Egypt.
fn seed(app: &TestApp) -> TestUser {
    let editor = app.user(Role::Editor, None);
    let practices = |prefix: &str, n: usize, items: &[u8]| -> Vec<Value> {
        (1..=n)
            .map(|i| json!({"title": format!("{prefix} {i}"), "body": format!("{prefix} number {i} of the incident response team."), "items": items}))
            .collect()
    };
    for (entity, language, prefix, n, items) in [
        ("GBR", "en", "Response plan", 22, &[11u8][..]),
        ("FRA", "fr", "Campagne de sensibilisation", 2, &[18][..]),
        ("EGY", "ar", "التشريعات", 1, &[13][..]),
    ] {
        let draft = json!({"entity": entity, "language": language, "title": format!("Practices of {entity}"),
            "practices": practices(prefix, n, items)});
        app.accept_new(&editor, &draft);
    }
    app.wait_for_total("", 25);
    editor
}

#[test]
fn every_page_speaks_the_language_asked_for() {
    let app = TestApp::spawn(Backend::Sqlite);
    for language in Language::ALL {
        let code = language.code();
        let html = page(&app, &format!("/?lang={code}"));
        let direction = if code == "ar" { "rtl" } else { "ltr" };
        assert!(
            html.contains(&format!("<html lang=\"{code}\" dir=\"{direction}\">")),
            "{code}"
        );
        let l = labels(language);
        assert!(html.contains(&l.search_heading), "{code}");
        assert!(html.contains(&l.site_name), "{code}");
        // The switcher offers every language, each named in itself, and
        // marks the present one.
        for other in Language::ALL {
            assert!(html.contains(&format!("lang=\"{0}\" hreflang=\"{0}\"", other.code())));
            assert!(html.contains(&labels(other).language_name));
        }
        assert!(html.contains(&format!(
            "hreflang=\"{code}\" aria-current=\"true\">{}",
            l.language_name
        )));
    }
    // Without ?lang=, the browser's preference decides.
    let answer = html_of(
        &app,
        "/",
        &[("accept-language", "de-CH, ru;q=0.8, en;q=0.5")],
    );
    assert!(answer.body.contains("<html lang=\"ru\""));
    assert_eq!(answer.header("content-language"), Some("ru"));
    assert!(answer
        .headers
        .get_all("vary")
        .iter()
        .any(|v| v == "Accept-Language"));
    // An explicit choice beats it; an unknown one is ignored.
    let answer = html_of(&app, "/?lang=es", &[("accept-language", "ru")]);
    assert!(answer.body.contains("<html lang=\"es\""));
    let answer = html_of(&app, "/?lang=xx", &[("accept-language", "zh-CN")]);
    assert!(answer.body.contains("<html lang=\"zh\""));
    // Every page, not only the search.
    let html = page(&app, "/compilations?lang=fr");
    assert!(html.contains(&labels(Language::Fr).compilations_none));
}

#[test]
fn search_counts_filters_and_pages() {
    let app = TestApp::spawn(Backend::Sqlite);
    seed(&app);
    let en = labels(Language::En);

    let html = page(&app, "/?lang=en");
    assert_eq!(text_of(&html, "total"), "Practices found: 25");
    assert_eq!(count(&html, "class=\"result\""), 20);
    assert!(html.contains("Page 1 of 2"));
    assert!(html.contains("href=\"/?page=2&amp;lang=en\" rel=\"next\""));
    // Facets: the annex titles in the reader's language, with counts.
    assert!(
        html.contains("E. Incident management and recovery</span><span class=\"count\">22</span>"),
        "{html}"
    );
    assert!(html.contains("name=\"language\" value=\"fr\""));
    assert!(html.contains("French</span><span class=\"count\">2</span>"));

    let second = page(&app, "/?page=2&lang=en");
    assert_eq!(count(&second, "class=\"result\""), 5);
    assert!(second.contains("Page 2 of 2"));
    assert!(second.contains("rel=\"prev\""));

    // Ticking a facet narrows the results; its own counts stay, so the
    // reader can widen it again.
    let french = page(&app, "/?language=fr&lang=en");
    assert_eq!(text_of(&french, "total"), "Practices found: 2");
    assert!(french.contains("name=\"language\" value=\"fr\" checked"));
    assert!(french.contains("English</span><span class=\"count\">22</span>"));
    assert!(
        !french.contains("Page 1 of"),
        "one page needs no pagination"
    );

    // Words are kept in the box, matches marked, the rest escaped.
    let found = page(&app, "/?q=campagne&lang=en");
    assert_eq!(text_of(&found, "total"), "Practices found: 2");
    assert!(found.contains("value=\"campagne\""));
    assert!(found.contains("<mark>Campagne</mark>"));

    // Nothing found: the page says so and offers to drop each filter.
    let none = page(&app, "/?q=budapest&language=fr&item=18&lang=en");
    assert!(none.contains(&en.no_results_title));
    assert!(none.contains(&en.no_results_words));
    assert!(
        none.contains("href=\"/?q=budapest&amp;item=18&amp;lang=en\">Remove filter: French</a>"),
        "{none}"
    );
    assert!(
        none.contains("Remove filter: 18. National culture of cybersecurity"),
        "{none}"
    );

    // A year is one choice among the years found.
    let year = chrono::Utc::now().format("%Y").to_string();
    let this_year = page(&app, &format!("/?year={year}&lang=en"));
    assert_eq!(text_of(&this_year, "total"), "Practices found: 25");
    assert!(this_year.contains(&format!("name=\"year\" value=\"{year}\" checked")));
    let other_year = page(&app, "/?year=1999&lang=en");
    assert_eq!(text_of(&other_year, "total"), "Practices found: 0");

    // Parameters the page does not know (a campaign tag) are ignored,
    // empty ones (untouched controls) too.
    let tagged = page(&app, "/?utm_source=newsletter&q=&sort=&year=&lang=en");
    assert_eq!(text_of(&tagged, "total"), "Practices found: 25");
}

#[test]
fn a_search_the_page_cannot_understand_is_explained_not_failed() {
    let app = TestApp::spawn(Backend::Sqlite);
    let too_many_words: Vec<String> = (0..40).map(|i| format!("word{i}")).collect();
    let too_many_words = format!("/?q={}&lang=fr", too_many_words.join("+"));
    for path in [
        too_many_words.as_str(),
        "/?item=99&lang=fr",
        "/?page=0&lang=fr",
        "/?page=501&lang=fr",
        "/?year=99&lang=fr",
        "/?region=atlantis&lang=fr",
    ] {
        let answer = html_of(&app, path, &[]);
        assert_eq!(answer.status, 400, "{path}");
        assert_eq!(
            answer.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(answer.body.contains(&labels(Language::Fr).bad_search_title));
        assert_eq!(answer.header("cache-control"), Some("no-store"));
    }
}

#[test]
fn a_practice_page_shows_the_whole_practice_and_nothing_executable() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let body = "# Plan\n\nThe *national* plan.\n\n<script>window.compromised = true</script>\n\n<img src=x onerror=\"window.compromised = true\">\n\n[trap](javascript:window.compromised=true) and [ITU](https://www.itu.int/)";
        let submission = app.accept_new(
            &editor,
            &json!({"entity": "KEN", "language": "en", "title": "Kenya",
                "practices": [{"title": "National plan <b>bold</b>", "body": body, "items": [4, 11]}]}),
        );
        let id = app.first_practice(&editor.token, &submission);

        let html = page(app, &format!("/practices/{id}?lang=es"));
        assert!(html.contains("<html lang=\"es\""));
        assert!(html.contains("National plan &lt;b&gt;bold&lt;/b&gt;"));
        assert!(html.contains("<h3>Plan</h3>"));
        assert!(html.contains("<em>national</em>"));
        assert!(html.contains("&lt;script&gt;window.compromised = true&lt;/script&gt;"));
        // One script element: the page's schema.org data, which no
        // browser runs.
        assert_eq!(html.matches("<script").count(), 1);
        assert_eq!(
            html.matches(r#"<script type="application/ld+json">"#)
                .count(),
            1
        );
        assert!(!html.contains("<img"));
        assert!(!html.contains("javascript:"));
        assert!(html.contains(
            "<a href=\"https://www.itu.int/\" rel=\"nofollow noopener noreferrer\">ITU</a>"
        ));
        // Where it came from, its annex items by title, a permanent link.
        assert!(html.contains("Kenya (Estado Miembro)"));
        assert!(
            html.contains("4. Estrategia nacional y sus objetivos"),
            "{html}"
        );
        assert!(html.contains("11. "));
        assert!(html.contains(&submission));
        assert!(html.contains(&format!("/practices/{id}</a>")));
        // The State is named in the reader's language, there and in the
        // search results.
        let ru = page(app, &format!("/practices/{id}?lang=ru"));
        assert!(ru.contains("Кения (Государство-член)"), "{ru}");
        app.wait_for_total("", 1);
        let results = page(app, "/?lang=zh");
        assert!(results.contains("<li>肯尼亚</li>"), "{results}");

        // Not in the catalogue: a draft's practice, or nothing at all.
        let draft = app.post_as(
            &editor.token,
            "/api/v1/submissions",
            &json!({"entity": "KEN", "language": "en", "title": "Draft",
                "practices": [{"title": "Unpublished", "body": "Not yet."}]}),
        );
        let hidden = draft.json()["practices"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for missing in [hidden.as_str(), "no-such-practice"] {
            let answer = html_of(app, &format!("/practices/{missing}?lang=ru"), &[]);
            assert_eq!(answer.status, 404);
            assert!(answer.body.contains(&labels(Language::Ru).not_found_title));
        }
    });
}

#[test]
fn browsers_get_a_page_and_programs_a_problem_for_a_missing_address() {
    let app = TestApp::spawn(Backend::Sqlite);
    let answer = html_of(&app, "/no/such/page", &[("accept-language", "ar")]);
    assert_eq!(answer.status, 404);
    assert!(answer.body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(answer.body.contains(&labels(Language::Ar).not_found_title));
    // A program (no text/html in Accept), or any client under /api/,
    // keeps getting problem documents.
    app.get("/no/such/page").problem(404);
    html_of(&app, "/api/v1/nothing", &[]).problem(404);
    app.request("DELETE", "/").problem(405);
}

#[test]
fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn(Backend::Sqlite);
    for path in [
        "/",
        "/compilations",
        "/api/v1/annex",
        "/nothing",
        "/docs/",
        "/static/site.css",
    ] {
        let answer = html_of(&app, path, &[]);
        let policy = answer
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
        assert!(
            !policy.contains("script-src 'unsafe-inline'"),
            "{path}: {policy}"
        );
        assert_eq!(
            answer.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            answer.header("referrer-policy"),
            Some("strict-origin-when-cross-origin"),
            "{path}"
        );
        assert_eq!(answer.header("x-frame-options"), Some("DENY"), "{path}");
    }
    // Pages run no script at all.
    let policy = html_of(&app, "/", &[])
        .header("content-security-policy")
        .unwrap()
        .to_owned();
    assert!(!policy.contains("script-src"), "{policy}");
}

#[test]
fn static_files_are_fingerprinted_cached_and_revalidated() {
    let app = TestApp::spawn(Backend::Sqlite);
    let html = page(&app, "/");
    let start = html.find("/static/site.css?v=").unwrap();
    let href = &html[start..start + html[start..].find('"').unwrap()];

    let first = app.get(href);
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        first.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(first.body.contains("dir") || first.body.contains("inline-start"));
    let etag = first.header("etag").unwrap().to_owned();
    let modified = first.header("last-modified").unwrap().to_owned();

    let again = app.call_with("GET", href, None, None, &[("if-none-match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let again = app.call_with("GET", href, None, None, &[("if-modified-since", &modified)]);
    assert_eq!(again.status, 304);
    let changed = app.call_with("GET", href, None, None, &[("if-none-match", "\"old\"")]);
    assert_eq!(changed.status, 200);

    // Without the fingerprint it may be an old link: kept an hour only.
    let plain = app.get("/static/site.css");
    assert_eq!(plain.header("cache-control"), Some("public, max-age=3600"));
    assert_eq!(html_of(&app, "/static/nothing.js", &[]).status, 404);
}

#[test]
fn answers_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::spawn(Backend::Sqlite);
    for encoding in ["gzip", "br"] {
        let answer = app.call_with("GET", "/", None, None, &[("accept-encoding", encoding)]);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("content-encoding"), Some(encoding));
    }
    let plain = app.get("/");
    assert_eq!(plain.header("content-encoding"), None);
}
