//! Compilations and self-assessments as Word documents, opened by
//! python-docx (a reader nobody here wrote): the title page, the headings
//! in Word's own styles, every entry with its citation (every item with
//! the State's answer), A4, page numbers, a table of contents field,
//! Arabic right to left; the same edition gives the same bytes.

use std::io::Read;
use std::process::Command;

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::helpers::{checker_present, each_backend, TestApp};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn python_docx() -> bool {
    checker_present(
        "python-docx (pip install python-docx)",
        Command::new("python3").args(["-c", "import docx"]),
    )
}

/// The export's bytes, content type, disposition and ETag.
fn download(app: &TestApp, path: &str) -> (Vec<u8>, String, String, String) {
    download_as(app, None, path)
}

/// The same, signed in with `token` when there is one.
fn download_as(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
) -> (Vec<u8>, String, String, String) {
    let mut request = ureq::get(&app.url(path));
    if let Some(token) = token {
        request = request.header("authorization", &format!("Bearer {token}"));
    }
    let mut response = request.call().expect("the export answers");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (kind, disposition, etag) = (
        header("content-type"),
        header("content-disposition"),
        header("etag"),
    );
    let mut bytes = Vec::new();
    response
        .body_mut()
        .as_reader()
        .read_to_end(&mut bytes)
        .expect("the body");
    (bytes, kind, disposition, etag)
}

fn read(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let path = dir.path().join("edition.docx");
    std::fs::write(&path, bytes).expect("written");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/word/read_docx.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python-docx cannot open it: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn styled<'a>(document: &'a Value, style: &str) -> Vec<&'a str> {
    document["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .filter(|p| p["style"] == style)
        .map(|p| p["text"].as_str().unwrap_or_default())
        .collect()
}

#[test]
fn a_compilation_opens_in_word_with_every_entry_under_its_heading() {
    if !python_docx() {
        return;
    }
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        for (entity, language, title, items) in [
            ("KEN", "en", "KE-CIRT <24/7>", json!([10, 4])),
            ("FRA", "fr", "Code pénal, article 323-1", json!([13])),
            ("EGY", "ar", "الفريق الوطني للاستجابة", json!([10])),
        ] {
            app.accept_new(
                &editor,
                &json!({"entity": entity, "language": language, "title": title,
                    "practices": [{"title": title,
                        "body": format!("# Mandate\n\nThe **{title}** team.\n\n- one\n- two"),
                        "items": items}]}),
            );
        }
        let (id, _) = app.publish_compilation(
            &editor,
            &json!({"title": "Compilation in Word", "introduction": "Received in *2026*."}),
        );

        let path = format!("/api/v1/compilations/{id}/export?format=docx");
        let (bytes, kind, disposition, etag) = download(app, &path);
        assert_eq!(kind, DOCX);
        assert!(disposition.starts_with("attachment; filename=\"compilation-"));
        assert!(disposition.ends_with(".docx\""), "{disposition}");
        let (again, _, _, etag_again) = download(app, &path);
        assert!(
            bytes == again && etag == etag_again,
            "the same bytes each time"
        );

        let document = read(&bytes);
        assert_eq!(document["page_mm"], json!([210, 297]));
        assert_eq!(document["page_number_field"], true);
        assert_eq!(document["toc_field"], true);
        assert_eq!(styled(&document, "Title"), ["Compilation in Word"]);
        let sections = styled(&document, "Heading 1");
        assert_eq!(sections.len(), 4, "{sections:?}"); // the introduction, A, E, F
        assert!(sections[1].starts_with("A. ") && sections[3].starts_with("F. "));
        let items = styled(&document, "Heading 2");
        assert!(
            items
                .iter()
                .map(|i| i.split('.').next())
                .eq([Some("4"), Some("10"), Some("13")]),
            "{items:?}"
        );
        // Each practice once, under its first item (Kenya's under 4, with
        // "also 10" beside it).
        let entries = styled(&document, "Heading 3");
        assert_eq!(entries.len(), 3, "{entries:?}");
        assert!(entries.contains(&"KE-CIRT <24/7>"));
        let paragraphs = document["paragraphs"].as_array().expect("paragraphs");
        let texts: Vec<&str> = paragraphs
            .iter()
            .map(|p| p["text"].as_str().unwrap_or_default())
            .collect();
        for entry in &entries {
            let at = texts.iter().position(|t| t == entry).expect("the entry");
            assert!(
                texts[at + 1].contains("submission"),
                "a citation follows {entry}"
            );
        }
        assert!(texts.contains(&"• one") && texts.contains(&"Mandate"));
        let arabic_entry = paragraphs
            .iter()
            .find(|p| p["text"] == "الفريق الوطني للاستجابة")
            .expect("Egypt's practice");
        assert_eq!(arabic_entry["bidi"], true);
        assert!(paragraphs
            .iter()
            .filter(|p| p["text"] == "KE-CIRT <24/7>")
            .all(|p| p["bidi"] == false));

        // Read in Arabic: labels, the annex and names in Arabic, right to left.
        let (arabic, ..) = download(app, &format!("{path}&lang=ar"));
        let document = read(&arabic);
        let sections = styled(&document, "Heading 1");
        assert!(sections.iter().all(|s| !s.is_ascii()), "{sections:?}");
        let paragraphs = document["paragraphs"].as_array().expect("paragraphs");
        // The edition's own words run right to left; a practice written
        // in English keeps its direction.
        assert!(paragraphs
            .iter()
            .filter(|p| ["Title", "Heading 1", "Heading 2"]
                .contains(&p["style"].as_str().unwrap_or_default()))
            .all(|p| p["bidi"] == true));
        assert!(paragraphs
            .iter()
            .filter(|p| p["text"] == "KE-CIRT <24/7>")
            .all(|p| p["bidi"] == false));
    });
}

#[test]
fn a_self_assessment_opens_in_word_in_its_own_language() {
    if !python_docx() {
        return;
    }
    each_backend(|app| {
        let egypt = app.user(Role::FocalPoint, Some("EGY"));
        let made = app.post_as(
            &egypt.token,
            "/api/v1/assessments",
            &json!({"year": 2026, "language": "ar"}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
        let id = made.json()["id"].as_str().expect("an id").to_owned();
        let path = format!("/api/v1/assessments/{id}");
        let saved = app.call_with(
            "PUT",
            &path,
            Some(&egypt.token),
            Some(&json!({"answers": [{"item": 11, "status": "in_place",
                "narrative": "فريق **وطني** للاستجابة.", "evidence": ["https://egcert.example/"], "maturity": 3}]})),
            &[("if-match", "\"v1\"")],
        );
        assert_eq!(saved.status, 200, "{}", saved.body);

        let (bytes, kind, disposition, _) = download_as(
            app,
            Some(&egypt.token),
            &format!("{path}/export?format=docx"),
        );
        assert_eq!(kind, DOCX);
        assert_eq!(
            disposition,
            "attachment; filename=\"assessment-EGY-2026.docx\""
        );
        let document = read(&bytes);
        assert_eq!(document["page_mm"], json!([210, 297]));
        assert_eq!(document["toc_field"], true);
        let title = styled(&document, "Title");
        assert!(
            title.len() == 1 && title[0].contains("مصر") && title[0].contains("2026"),
            "{title:?}"
        );
        assert_eq!(styled(&document, "Heading 1").len(), 7);
        assert_eq!(styled(&document, "Heading 2").len(), 18);
        let paragraphs = document["paragraphs"].as_array().expect("paragraphs");
        assert!(paragraphs.iter().all(|p| p["bidi"] == true));
        assert!(paragraphs
            .iter()
            .any(|p| p["text"] == "فريق وطني للاستجابة."));
        assert!(paragraphs
            .iter()
            .any(|p| p["text"] == "• https://egcert.example/"));

        // Private: another State's focal point cannot read it.
        let kenya = app.user(Role::FocalPoint, Some("KEN"));
        app.get_as(&kenya.token, &format!("{path}/export?format=docx"))
            .problem(404);
    });
}
