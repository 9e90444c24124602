//! Compilations on both backends: assembly order, scope and exclusion,
//! reassembly and drift, numbering under concurrent publication,
//! immutability after publication (curation included), every export
//! format parsed back, byte-identical re-export, the feeds and the pages.

use std::collections::BTreeSet;

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::helpers::{each_backend, error_fields, Answer, TestApp, TestUser};

struct Catalogue {
    editor: TestUser,
    /// Practice ids by a short name.
    ids: std::collections::HashMap<&'static str, String>,
}

impl Catalogue {
    fn id(&self, name: &str) -> &str {
        &self.ids[name]
    }
}

/// (name, entity, language, items)
const PRACTICES: [(&str, &str, &str, &[u8]); 7] = [
    ("itu", "ITU", "en", &[11]),
    ("zambia", "ZMB", "en", &[11]),
    ("austria", "AUT", "en", &[11]),
    ("kenya", "KEN", "en", &[11, 4]),
    ("holy_see", "VAT", "fr", &[11]),
    ("france", "FRA", "fr", &[13]),
    ("untagged", "ESP", "es", &[]),
];

fn accept_all(app: &TestApp) -> Catalogue {
    let editor = app.user(Role::Editor, None);
    let mut ids = std::collections::HashMap::new();
    for (name, entity, language, items) in PRACTICES {
        let submission = app.accept_new(
            &editor,
            &json!({"entity": entity, "language": language, "title": format!("Contribution {name}"),
                "practices": [{"title": format!("Practice of {name}"), "body": format!("# Heading of {name}\n\nThe *body* of {name}."), "items": items}]}),
        );
        ids.insert(name, app.first_practice(&editor.token, &submission));
    }
    Catalogue { editor, ids }
}

fn create(app: &TestApp, editor: &TestUser, body: Value) -> Value {
    let answer = app.post_as(&editor.token, "/api/v1/compilations", &body);
    assert_eq!(answer.status, 201, "{}", answer.body);
    let created = answer.json();
    assert_eq!(
        answer.header("location"),
        Some(format!("/api/v1/compilations/{}", created["id"].as_str().unwrap()).as_str())
    );
    assert_eq!(answer.header("etag"), Some("\"v1\""));
    created
}

fn practice_ids(compilation: &Value) -> Vec<String> {
    compilation["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["practice_id"].as_str().unwrap().to_owned())
        .collect()
}

fn names(catalogue: &Catalogue, compilation: &Value) -> Vec<&'static str> {
    practice_ids(compilation)
        .iter()
        .map(|id| {
            *catalogue
                .ids
                .iter()
                .find(|(_, v)| *v == id)
                .map(|(k, _)| k)
                .unwrap_or(&"?")
        })
        .collect()
}

fn publish(app: &TestApp, editor: &TestUser, id: &str) -> Answer {
    app.call(
        "POST",
        &format!("/api/v1/compilations/{id}/publish"),
        Some(&editor.token),
        None,
    )
}

fn put(app: &TestApp, editor: &TestUser, id: &str, body: Value) -> Answer {
    app.call(
        "PUT",
        &format!("/api/v1/compilations/{id}"),
        Some(&editor.token),
        Some(&body),
    )
}

fn export(app: &TestApp, id: &str, format: &str) -> Answer {
    let answer = app.get(&format!("/api/v1/compilations/{id}/export?format={format}"));
    assert_eq!(answer.status, 200, "{format}: {}", answer.body);
    answer
}

/// A small RFC 4180 reader: quoted cells may hold commas, quotes, newlines.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[test]
fn a_draft_gathers_the_catalogue_in_annex_order_with_citations() {
    each_backend(|app| {
        let catalogue = accept_all(app);
        let draft = create(
            app,
            &catalogue.editor,
            json!({"title": "Compilation 2026", "scope": {}, "introduction": "Received in 2026."}),
        );
        assert_eq!(draft["status"], "draft");
        assert_eq!(draft["number"], Value::Null);
        // Kenya stands under its first item (4, section A); under item 11,
        // Member States alphabetically, then the observer, then the
        // organisation; then item 13.
        assert_eq!(
            names(&catalogue, &draft),
            ["kenya", "austria", "zambia", "holy_see", "itu", "france"]
        );
        assert_eq!(draft["entries_count"], 6);
        assert_eq!(
            draft["untagged_practices"],
            json!([catalogue.id("untagged")])
        );
        let kenya = &draft["entries"][0];
        assert_eq!(kenya["position"], 1);
        assert_eq!(kenya["section"], "A");
        assert_eq!(kenya["item"], 4);
        assert_eq!(kenya["items"], json!([4, 11]));
        assert_eq!(kenya["entity_name"], "Kenya");
        assert_eq!(kenya["entity_type"], "member_state");
        assert_eq!(kenya["language"], "en");
        assert!(kenya["submission_version"].as_i64().unwrap() >= 1);
        assert!(kenya["submission_id"].is_string() && kenya["received_at"].is_string());
        assert_eq!(draft["entries"][4]["entity_type"], "international_org");

        // Drafts are the editors' own.
        let id = draft["id"].as_str().unwrap();
        app.get(&format!("/api/v1/compilations/{id}")).problem(404);
        app.get(&format!("/api/v1/compilations/{id}/export?format=json"))
            .problem(404);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        app.get_as(&focal.token, &format!("/api/v1/compilations/{id}"))
            .problem(404);
        app.post_as(&focal.token, "/api/v1/compilations", &json!({"title": "x"}))
            .problem(403);
        app.post_json("/api/v1/compilations", &json!({"title": "x"}))
            .problem(401);
        let listed = app.get("/api/v1/compilations").json();
        assert_eq!(listed["items"], json!([]));
        let listed = app
            .get_as(&catalogue.editor.token, "/api/v1/compilations")
            .json();
        assert_eq!(listed["items"][0]["id"], draft["id"]);
        assert!(listed["items"][0].get("entries").is_none());
    });
}

#[test]
fn scope_exclusion_and_reassembly_with_what_changed_since() {
    each_backend(|app| {
        let catalogue = accept_all(app);
        let editor = &catalogue.editor;
        let draft = create(
            app,
            editor,
            json!({"title": "Incidents", "scope": {"sections": ["E"], "entity_types": ["member_state", "observer_state"]}}),
        );
        let id = draft["id"].as_str().unwrap().to_owned();
        // Kenya's item 4 is out of scope: it stands under 11 now.
        assert_eq!(
            names(&catalogue, &draft),
            ["austria", "kenya", "zambia", "holy_see"]
        );
        assert_eq!(
            draft["scope"],
            json!({"sections": ["E"], "entity_types": ["member_state", "observer_state"]})
        );

        let excluded = put(
            app,
            editor,
            &id,
            json!({"excluded_practices": [catalogue.id("zambia")]}),
        );
        assert_eq!(excluded.status, 200, "{}", excluded.body);
        assert_eq!(excluded.header("etag"), Some("\"v2\""));
        let excluded = excluded.json();
        assert_eq!(
            names(&catalogue, &excluded),
            ["austria", "kenya", "holy_see"]
        );
        assert_eq!(
            excluded["excluded_practices"],
            json!([catalogue.id("zambia")])
        );

        // The catalogue moves on: a new practice is accepted, one is re-tagged.
        let new_submission = app.accept_new(
            editor,
            &json!({"entity": "GHA", "language": "en", "title": "Ghana",
                "practices": [{"title": "Ghana CERT", "body": "A CERT.", "items": [12]}]}),
        );
        let ghana = app.first_practice(&editor.token, &new_submission);
        let curated = app.patch_as(
            &editor.token,
            &format!("/api/v1/practices/{}", catalogue.id("austria")),
            &json!({"items": [10, 11]}),
        );
        assert_eq!(curated.status, 200, "{}", curated.body);
        let curated = app.patch_as(
            &editor.token,
            &format!("/api/v1/practices/{}", catalogue.id("holy_see")),
            &json!({"items": [13]}),
        );
        assert_eq!(curated.status, 200, "{}", curated.body);

        // The draft still shows its last assembly, and says what changed.
        let seen = app.get_as(&editor.token, &format!("/api/v1/compilations/{id}"));
        assert_eq!(seen.header("etag"), Some("\"v2\""));
        let seen = seen.json();
        assert_eq!(names(&catalogue, &seen), ["austria", "kenya", "holy_see"]);
        assert_eq!(seen["changes_since_assembly"]["added"], json!([ghana]));
        assert_eq!(
            seen["changes_since_assembly"]["removed"],
            json!([catalogue.id("holy_see")])
        );
        assert_eq!(
            seen["changes_since_assembly"]["changed"],
            json!([catalogue.id("austria")])
        );

        // Reassembling takes them in.
        let stale = app.call_with(
            "PUT",
            &format!("/api/v1/compilations/{id}"),
            Some(&editor.token),
            Some(&json!({})),
            &[("if-match", "\"v1\"")],
        );
        stale.problem(412);
        let again = app.call_with(
            "PUT",
            &format!("/api/v1/compilations/{id}"),
            Some(&editor.token),
            Some(&json!({"title": "Incident response"})),
            &[("if-match", "\"v2\"")],
        );
        assert_eq!(again.status, 200, "{}", again.body);
        let again = again.json();
        assert_eq!(again["title"], "Incident response");
        assert_eq!(again["entries"][0]["item"], 10);
        assert_eq!(again["entries_count"], 3);
        assert!(practice_ids(&again).contains(&ghana));
        let seen = app
            .get_as(&editor.token, &format!("/api/v1/compilations/{id}"))
            .json();
        assert_eq!(
            seen["changes_since_assembly"],
            json!({"added": [], "removed": [], "changed": []})
        );

        // Bad changes: malformed (400) or breaking a rule (422), nothing written.
        put(app, editor, &id, json!({"scope": {"sections": ["Z"]}})).problem(400);
        put(app, editor, &id, json!({"colour": "blue"})).problem(400);
        let problem = put(
            app,
            editor,
            &id,
            json!({"title": " ", "scope": {"from": "2026-05-01", "to": "2026-04-01"}}),
        )
        .problem(422);
        let fields = error_fields(&problem);
        assert_eq!(fields, ["title", "scope.to"]);
        let unchanged = app
            .get_as(&editor.token, &format!("/api/v1/compilations/{id}"))
            .json();
        assert_eq!(unchanged["version"], 3);
        put(app, editor, "no-such-compilation", json!({})).problem(404);
    });
}

#[test]
fn editions_are_numbered_without_gaps_even_when_published_at_once() {
    each_backend(|app| {
        let catalogue = accept_all(app);
        let editor = &catalogue.editor;
        let year = chrono::Utc::now().format("%Y").to_string();
        let first = create(app, editor, json!({"title": "First"}));
        let published = publish(app, editor, first["id"].as_str().unwrap());
        assert_eq!(published.status, 200, "{}", published.body);
        let published = published.json();
        assert_eq!(published["number"], format!("{year}/1"));
        assert_eq!(published["status"], "published");
        assert!(published["published_at"].is_string());

        let drafts: Vec<String> = (0..6)
            .map(|i| {
                create(app, editor, json!({"title": format!("Parallel {i}")}))["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let numbers: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = drafts
                .iter()
                .map(|id| scope.spawn(move || publish(app, editor, id)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    let answer = h.join().unwrap();
                    assert_eq!(answer.status, 200, "{}", answer.body);
                    answer.json()["number"].as_str().unwrap().to_owned()
                })
                .collect()
        });
        let numbers: BTreeSet<String> = numbers.into_iter().collect();
        let expected: BTreeSet<String> = (2..=7).map(|n| format!("{year}/{n}")).collect();
        assert_eq!(numbers, expected, "no duplicates, no gaps");

        // An edition never changes; nor is it published twice.
        let id = first["id"].as_str().unwrap();
        publish(app, editor, id).problem(409);
        put(app, editor, id, json!({"title": "Changed"})).problem(409);
        let listed = app.get("/api/v1/compilations?limit=100").json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 7);

        // Nothing in scope: nothing to publish.
        let empty = create(
            app,
            editor,
            json!({"title": "Empty", "scope": {"from": "1990-01-01", "to": "1990-12-31"}}),
        );
        assert_eq!(empty["entries_count"], 0);
        publish(app, editor, empty["id"].as_str().unwrap()).problem(409);
    });
}

#[test]
fn an_edition_is_frozen_and_exports_the_same_bytes_in_every_format() {
    each_backend(|app| {
        let catalogue = accept_all(app);
        let editor = &catalogue.editor;
        let draft = create(
            app,
            editor,
            json!({"title": "Edition <one>", "introduction": "Practices of **2026**."}),
        );
        let id = draft["id"].as_str().unwrap().to_owned();
        let published = publish(app, editor, &id).json();
        let number = published["number"].as_str().unwrap().to_owned();

        let json_export = export(app, &id, "json");
        let html_export = export(app, &id, "html");
        let md_export = export(app, &id, "md");
        let csv_export = export(app, &id, "csv");

        // Later curation does not reach the edition.
        let curated = app.patch_as(
            &editor.token,
            &format!("/api/v1/practices/{}", catalogue.id("france")),
            &json!({"items": [18], "editorial_note": "Moved"}),
        );
        assert_eq!(curated.status, 200, "{}", curated.body);
        let after = app.get(&format!("/api/v1/compilations/{id}")).json();
        assert_eq!(after["entries"], published["entries"]);
        assert_eq!(after["number"], json!(number));

        for (format, before) in [
            ("json", &json_export),
            ("html", &html_export),
            ("md", &md_export),
            ("csv", &csv_export),
        ] {
            let again = export(app, &id, format);
            assert_eq!(again.body, before.body, "{format} is byte-identical");
            let tag = before.header("etag").unwrap();
            assert_eq!(again.header("etag"), Some(tag));
            let cached = app.call_with(
                "GET",
                &format!("/api/v1/compilations/{id}/export?format={format}"),
                None,
                None,
                &[("if-none-match", tag)],
            );
            assert_eq!(cached.status, 304, "{format}");
        }

        // JSON: the snapshot, as the API shows it.
        assert_eq!(json_export.header("content-type"), Some("application/json"));
        let snapshot: Value = serde_json::from_str(&json_export.body).unwrap();
        assert_eq!(snapshot["number"], json!(number));
        assert_eq!(snapshot["entries"], published["entries"]);
        assert_eq!(snapshot["entries"][5]["items"], json!([13]));

        // HTML: a standalone document, title page, contents, annex text.
        assert_eq!(
            html_export.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        let policy = html_export.header("content-security-policy").unwrap();
        assert!(policy.contains("style-src 'unsafe-inline'") && !policy.contains("script"));
        let html = &html_export.body;
        assert!(html.contains(&format!("Edition {number}")));
        assert!(html.contains("<h1>Edition &lt;one&gt;</h1>"));
        assert!(html.contains("<strong>2026</strong>"));
        assert!(html.contains("size: A4"));
        let order: Vec<usize> = [
            "id=\"contents\"",
            "id=\"section-A\"",
            "id=\"item-4\"",
            "id=\"section-E\"",
            "id=\"item-11\"",
            "id=\"section-F\"",
            "id=\"item-13\"",
        ]
        .iter()
        .map(|marker| {
            html.find(marker)
                .unwrap_or_else(|| panic!("{marker} missing"))
        })
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert!(html.contains("<p class=\"annex-text\">"));
        assert!(html.contains("Kenya (Member State) · submission "));
        assert!(html.contains("<h5>Heading of kenya</h5>"));

        // Markdown: the same structure.
        let md = &md_export.body;
        assert!(md.starts_with("# Edition \\<one\\>\n"));
        let headings: Vec<&str> = md
            .lines()
            .filter(|l| l.starts_with("## ") || l.starts_with("### "))
            .collect();
        assert_eq!(headings[0], "## Introduction");
        assert_eq!(headings[1], "## Contents");
        assert!(headings[2].starts_with("## A. ") && headings[3].starts_with("### 4. "));
        assert!(md.contains("##### Heading of kenya"));

        // CSV: a header and one row per entry, in order.
        let body = csv_export.body.strip_prefix('\u{feff}');
        let rows = parse_csv(body.expect("a byte-order mark"));
        assert_eq!(
            rows[0][0..5],
            ["position", "section", "item", "item_title", "practice_id"]
        );
        assert_eq!(rows.len(), 7);
        let ids: Vec<&str> = rows[1..].iter().map(|r| r[4].as_str()).collect();
        assert_eq!(ids, practice_ids(&published));
        assert_eq!(rows[1][1..3], ["A", "4"]);
        assert!(rows[1][15].contains("The *body* of kenya."));
        assert!(rows[1..].iter().all(|r| r[16] == number));
        let disposition = csv_export.header("content-disposition").unwrap();
        assert!(disposition.contains(&format!("compilation-{}.csv", number.replace('/', "-"))));

        app.get(&format!("/api/v1/compilations/{id}/export?format=pdf"))
            .problem(400);
        app.get(&format!("/api/v1/compilations/{id}/export"))
            .problem(400);
    });
}

#[test]
fn feeds_are_atom_with_stable_ids() {
    each_backend(|app| {
        let catalogue = accept_all(app);
        let editor = &catalogue.editor;
        let empty = app.get("/feeds/compilations.atom");
        assert_eq!(empty.status, 200);
        let draft = create(app, editor, json!({"title": "Feed edition"}));
        let id = draft["id"].as_str().unwrap();
        let number = publish(app, editor, id).json()["number"]
            .as_str()
            .unwrap()
            .to_owned();

        let atom = "http://www.w3.org/2005/Atom";
        let answer = app.get("/feeds/compilations.atom");
        assert_eq!(
            answer.header("content-type"),
            Some("application/atom+xml; charset=utf-8")
        );
        let document = roxmltree::Document::parse(&answer.body).expect("well-formed XML");
        let feed = document.root_element();
        assert!(feed.has_tag_name((atom, "feed")));
        for required in ["id", "title", "updated", "author"] {
            assert!(
                feed.children().any(|n| n.has_tag_name((atom, required))),
                "feed {required}"
            );
        }
        let entries: Vec<_> = feed
            .children()
            .filter(|n| n.has_tag_name((atom, "entry")))
            .collect();
        assert_eq!(entries.len(), 1);
        let entry = entries[0];
        let text = |name: &str| {
            entry
                .children()
                .find(|n| n.has_tag_name((atom, name)))
                .and_then(|n| n.text())
                .unwrap_or_else(|| panic!("entry {name}"))
                .to_owned()
        };
        assert_eq!(text("id"), format!("urn:uuid:{id}"));
        assert!(text("title").contains(&number));
        chrono::DateTime::parse_from_rfc3339(&text("updated")).expect("an RFC 3339 time");
        let link = entry
            .children()
            .find(|n| n.has_tag_name((atom, "link")))
            .unwrap();
        assert!(link
            .attribute("href")
            .unwrap()
            .ends_with(&format!("/compilations/{id}")));
        assert_eq!(
            app.get("/feeds/compilations.atom").body,
            answer.body,
            "stable"
        );

        let answer = app.get("/feeds/practices.atom");
        let document = roxmltree::Document::parse(&answer.body).expect("well-formed XML");
        let entries: Vec<_> = document
            .root_element()
            .children()
            .filter(|n| n.has_tag_name((atom, "entry")))
            .collect();
        assert_eq!(entries.len(), PRACTICES.len());
        for entry in &entries {
            let id = entry
                .children()
                .find(|n| n.has_tag_name((atom, "id")))
                .unwrap()
                .text()
                .unwrap();
            assert!(id.starts_with("urn:uuid:"));
            assert!(entry.children().any(|n| n.has_tag_name((atom, "updated"))));
            assert!(entry.children().any(|n| n.has_tag_name((atom, "author"))));
        }
        let kenya = entries
            .iter()
            .find(|e| {
                e.children()
                    .any(|n| n.text() == Some(&format!("urn:uuid:{}", catalogue.id("kenya"))))
            })
            .unwrap();
        let terms: BTreeSet<&str> = kenya
            .children()
            .filter(|n| n.has_tag_name((atom, "category")))
            .filter_map(|n| n.attribute("term"))
            .collect();
        assert_eq!(terms, BTreeSet::from(["4", "11"]));
        let xml_lang = ("http://www.w3.org/XML/1998/namespace", "lang");
        assert_eq!(document.root_element().attribute(xml_lang), Some("en"));

        // In French: the feed's words and labels, each practice's title
        // marked with its own language where it differs.
        let answer = app.get("/feeds/practices.atom?lang=fr");
        let french = roxmltree::Document::parse(&answer.body).expect("well-formed XML");
        let root = french.root_element();
        assert_eq!(root.attribute(xml_lang), Some("fr"));
        let self_link = root
            .children()
            .find(|n| n.has_tag_name((atom, "link")) && n.attribute("rel") == Some("self"))
            .and_then(|n| n.attribute("href"));
        assert!(self_link.is_some_and(|l| l.ends_with("/feeds/practices.atom?lang=fr")));
        let labels: BTreeSet<&str> = root
            .descendants()
            .filter(|n| n.has_tag_name((atom, "category")))
            .filter_map(|n| n.attribute("label"))
            .collect();
        assert!(
            labels.contains("Capacité nationale de réponse aux incidents informatiques"),
            "{labels:?}"
        );
        let marked: Vec<_> = root
            .descendants()
            .filter(|n| n.has_tag_name((atom, "title")))
            .filter_map(|n| n.attribute(xml_lang))
            .collect();
        assert!(!marked.is_empty() && !marked.contains(&"fr"), "{marked:?}");
        let compilations = app.get("/feeds/compilations.atom?lang=ar").body;
        assert!(compilations.contains("xml:lang=\"ar\""));
    });
}

#[test]
fn readers_see_editions_on_the_site_and_never_drafts() {
    each_backend(|app| {
        let catalogue = accept_all(app);
        let editor = &catalogue.editor;
        let html = |path: &str| app.call_with("GET", path, None, None, &[("accept", "text/html")]);
        assert!(html("/compilations?lang=en")
            .body
            .contains("No compilation has been published yet."));
        let draft = create(app, editor, json!({"title": "Site edition"}));
        let id = draft["id"].as_str().unwrap();
        assert_eq!(html(&format!("/compilations/{id}?lang=en")).status, 404);
        let number = publish(app, editor, id).json()["number"]
            .as_str()
            .unwrap()
            .to_owned();

        let list = html("/compilations?lang=fr");
        assert_eq!(list.status, 200);
        assert!(list.body.contains(&number));
        assert!(list.body.contains(&format!(
            "href=\"/compilations/{id}?lang=fr\">Site edition</a>"
        )));
        let page = html(&format!("/compilations/{id}?lang=fr"));
        assert_eq!(page.status, 200);
        assert!(page.body.contains(&format!("Édition {number}")));
        assert!(page.body.contains("Table des matières"));
        assert!(page
            .body
            .contains(&format!("/practices/{}?lang=fr", catalogue.id("kenya"))));
        assert!(page
            .body
            .contains(&format!("/api/v1/compilations/{id}/export?format=html")));
    });
}

#[test]
fn the_excluded_list_is_bounded_as_sent_repeats_included() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite);
    let editor = app.user(Role::Editor, None);
    let draft = create(&app, &editor, json!({"title": "Bounded"}));
    let id = draft["id"].as_str().unwrap();
    let repeated = vec!["0193a3b4-0000-7000-8000-000000000000"; 10_001];
    let problem = put(&app, &editor, id, json!({"excluded_practices": repeated})).problem(422);
    assert_eq!(error_fields(&problem), ["excluded_practices"]);
    let fits = vec!["0193a3b4-0000-7000-8000-000000000000"; 10_000];
    let answer = put(&app, &editor, id, json!({"excluded_practices": fits}));
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// Imports `count` accepted submissions of one practice each under item 11
/// straight into the app's database, as `compendium import` does.
fn import_accepted(app: &TestApp, first: usize, count: usize) {
    let lines: String = (first..first + count)
        .map(|n| {
            format!(
                "{}\n",
                json!({"entity": "FRA", "language": "en", "title": format!("Imported {n}"),
                    "status": "accepted", "received_at": "2026-01-02T12:00:00Z",
                    "practices": [{"title": format!("Imported practice {n}"), "body": "A national CERT.", "items": [11]}]})
            )
        })
        .collect();
    let store = compendium::store::Store::open(&app.settings).unwrap();
    let mut connection = store.blocking_connection().unwrap();
    let tagger = compendium::tagging::Tagger::new().unwrap();
    let report = compendium::service::exchange::import(
        &mut connection,
        lines.as_bytes(),
        false,
        &tagger,
        |_| {},
    )
    .unwrap();
    assert_eq!(report.practices, count);
}

#[test]
fn drift_is_the_same_whether_a_few_or_many_practices_changed_since_assembly() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let draft = create(
            app,
            &editor,
            json!({"title": "Incidents", "scope": {"sections": ["E"]}}),
        );
        let id = draft["id"].as_str().unwrap().to_owned();
        let added = |app: &TestApp| -> usize {
            let seen = app
                .get_as(&editor.token, &format!("/api/v1/compilations/{id}"))
                .json();
            assert_eq!(seen["changes_since_assembly"]["removed"], json!([]));
            seen["changes_since_assembly"]["added"]
                .as_array()
                .unwrap()
                .len()
        };
        assert_eq!(added(app), 0, "nothing changed since the assembly");
        // A few changes are compared one by one...
        import_accepted(app, 0, 3);
        assert_eq!(added(app), 3);
        // ...a long backlog by assembling the whole scope again.
        import_accepted(app, 3, 520);
        assert_eq!(added(app), 523);
        // An out-of-scope change is no change to this draft.
        let reassembled = put(app, &editor, &id, json!({}));
        assert_eq!(reassembled.json()["entries_count"], 523);
        app.accept_new(
            &editor,
            &json!({"entity": "GHA", "language": "en", "title": "Ghana",
                "practices": [{"title": "Ghana law", "body": "A penal code.", "items": [13]}]}),
        );
        assert_eq!(added(app), 0);
    });
}
