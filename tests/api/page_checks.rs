//! Every reader page and every desk page, in several languages and states,
//! checked by tools nobody here wrote: the Nu Html Checker (`vnu.jar`, the
//! W3C validator) for valid HTML, and axe-core in Chromium for
//! accessibility. Both must find nothing.
//!
//! CI installs them from npm (`vnu-jar`, `axe-core`) into
//! `target/checkers`; `COMPENDIUM_VNU_JAR` and `COMPENDIUM_AXE_JS` point
//! elsewhere. Without them (and outside CI) the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::desk::{field, Browser as Http};
use crate::helpers::{Backend, TestApp, TestUser, PASSWORD};
use crate::webdriver::Browser;

struct Tools {
    vnu: PathBuf,
    axe: String,
}

fn tools() -> Option<Tools> {
    let checkers = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/checkers/node_modules");
    let vnu = std::env::var_os("COMPENDIUM_VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| checkers.join("vnu-jar/build/dist/vnu.jar"));
    let axe = std::env::var_os("COMPENDIUM_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| checkers.join("axe-core/axe.min.js"));
    let java = Command::new("java").arg("-version").output().is_ok();
    if !vnu.exists() || !axe.exists() || !java {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs Java, {} and {} (npm install --prefix target/checkers vnu-jar axe-core)",
            vnu.display(),
            axe.display()
        );
        eprintln!(
            "page checks skipped: run `npm install --prefix target/checkers vnu-jar axe-core`"
        );
        return None;
    }
    Some(Tools {
        vnu,
        axe: std::fs::read_to_string(&axe).expect("axe-core is readable"),
    })
}

/// Who looks at a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Reader,
    Focal,
    Editor,
    Admin,
}

/// A catalogue with something in every state a page can show.
struct Seeded {
    focal: TestUser,
    editor: TestUser,
    admin: TestUser,
    returned: String,
    resubmitted: String,
    accepted: String,
    practice: String,
    compilation: String,
    draft: String,
    /// Kenya's self-assessments of 2025 (completed, shared) and 2026.
    assessment: String,
    assessment_before: String,
}

fn seed(app: &TestApp) -> Seeded {
    let focal = app.user(Role::FocalPoint, Some("KEN"));
    let editor = app.user(Role::Editor, None);
    let admin = app.user(Role::Admin, None);
    let draft = |title: &str, body: &str| {
        json!({"language": "en", "title": title, "practices": [
            {"title": "National CERT", "body": body, "items": [11], "sectors": ["energy"]},
            {"title": "Awareness month", "body": "Schools learn to spot **phishing**.", "items": [18]}
        ]})
    };
    let create = |value: &Value| -> String {
        let answer = app.post_as(&focal.token, "/api/v1/submissions", value);
        assert_eq!(answer.status, 201, "{}", answer.body);
        answer.json()["id"].as_str().unwrap().to_owned()
    };
    let step = |token: &str, id: &str, action: &str, body: Value| {
        let answer = app.post_as(token, &format!("/api/v1/submissions/{id}/{action}"), &body);
        assert_eq!(answer.status, 200, "{action}: {}", answer.body);
    };
    let returned = create(&draft(
        "Returned reply",
        "The national team responds to incidents.",
    ));
    step(&focal.token, &returned, "submit", json!({}));
    step(
        &editor.token,
        &returned,
        "request-changes",
        json!({"message": "Since when?"}),
    );

    let resubmitted = create(&draft(
        "Revised reply",
        "The national team responds to incidents.",
    ));
    step(&focal.token, &resubmitted, "submit", json!({}));
    step(
        &editor.token,
        &resubmitted,
        "request-changes",
        json!({"message": "Since when?"}),
    );
    let revised = app.call_with(
        "PUT",
        &format!("/api/v1/submissions/{resubmitted}"),
        Some(&focal.token),
        Some(&draft(
            "Revised reply",
            "Since 2012, the national team responds to incidents.",
        )),
        &[("if-match", "\"v3\"")],
    );
    assert_eq!(revised.status, 200, "{}", revised.body);
    step(&focal.token, &resubmitted, "submit", json!({}));

    let accepted = app.accept_new(
        &editor,
        &json!({"entity": "FRA", "language": "fr", "title": "Réponse de la France",
            "practices": [{"title": "Exercice national de crise cyber", "body": "Un exercice annuel réunit les opérateurs.", "items": [11, 12]}]}),
    );
    let practice = app.first_practice(&editor.token, &accepted);
    let translated = app.call(
        "PUT",
        &format!("/api/v1/practices/{practice}/translations/ar"),
        Some(&editor.token),
        Some(&json!({"title": "تمرين وطني على الأزمات السيبرانية", "body": "يجمع تمرين سنوي **المشغلين**."})),
    );
    assert_eq!(translated.status, 201, "{}", translated.body);
    app.wait_for_total("", 1);
    let compilation = app.post_as(
        &editor.token,
        "/api/v1/compilations",
        &json!({"title": "Compilation 2026"}),
    );
    assert_eq!(compilation.status, 201, "{}", compilation.body);
    let compilation = compilation.json()["id"].as_str().unwrap().to_owned();
    let published = app.call(
        "POST",
        &format!("/api/v1/compilations/{compilation}/publish"),
        Some(&editor.token),
        None,
    );
    assert_eq!(published.status, 200, "{}", published.body);
    let draft = app.post_as(
        &editor.token,
        "/api/v1/compilations",
        &json!({"title": "Draft 2027", "scope": {"sections": ["E"]}}),
    );
    assert_eq!(draft.status, 201, "{}", draft.body);
    let draft = draft.json()["id"].as_str().unwrap().to_owned();
    let assess = |year: u32| -> String {
        let made = app.post_as(
            &focal.token,
            "/api/v1/assessments",
            &json!({"year": year, "language": "en"}),
        );
        assert_eq!(made.status, 201, "{}", made.body);
        let id = made.json()["id"].as_str().unwrap().to_owned();
        let answered = app.call_with(
            "PUT",
            &format!("/api/v1/assessments/{id}"),
            Some(&focal.token),
            Some(&json!({"answers": [
                {"item": 11, "status": "in_place", "narrative": "A national **CERT** since 2012.",
                 "evidence": ["https://cert.example.go.ke/"], "maturity": year - 2022},
                {"item": 12, "status": "in_progress", "narrative": "Drafting a plan."}
            ]})),
            &[("if-match", "\"v1\"")],
        );
        assert_eq!(answered.status, 200, "{}", answered.body);
        for step in ["complete", "share"] {
            let moved = app.call(
                "POST",
                &format!("/api/v1/assessments/{id}/{step}"),
                Some(&focal.token),
                None,
            );
            assert_eq!(moved.status, 200, "{}", moved.body);
        }
        id
    };
    let assessment_before = assess(2025);
    let assessment = assess(2026);
    Seeded {
        focal,
        editor,
        admin,
        returned,
        resubmitted,
        accepted,
        practice,
        compilation,
        draft,
        assessment,
        assessment_before,
    }
}

fn pages(s: &Seeded) -> Vec<(Who, String)> {
    let mut pages: Vec<(Who, String)> = [
        "/?lang=en",
        "/?q=exercice&lang=fr",
        "/?lang=ar",
        "/?lang=zh&section=E",
        "/compilations?lang=en",
        "/coverage?lang=es",
        "/coverage?lang=ar",
        "/no/such/page?lang=ru",
        "/subscriptions/confirm?token=nonsense&lang=en",
        "/subscriptions?lang=en",
        "/subscriptions?lang=ar",
        "/sign-in?lang=en",
        "/sign-in?lang=ar",
    ]
    .into_iter()
    .map(|p| (Who::Reader, p.to_owned()))
    .collect();
    let links = compendium::mail::links::Links::new(&compendium::auth::keys::SigningKeys::single(
        crate::helpers::TEST_SECRET.as_bytes().to_vec(),
    ));
    let token = links.confirm_token("s1", "n1", chrono::Utc::now() + chrono::Duration::hours(1));
    pages.push((
        Who::Reader,
        format!("/subscriptions/confirm?token={token}&lang=fr"),
    ));
    pages.push((Who::Reader, format!("/practices/{}?lang=en", s.practice)));
    pages.push((Who::Reader, format!("/practices/{}?lang=ar", s.practice)));
    pages.push((
        Who::Reader,
        format!("/practices/{}?lang=ar&original=1", s.practice),
    ));
    pages.push((Who::Reader, "/?q=exercice&lang=ar".to_owned()));
    pages.push((
        Who::Reader,
        format!("/compilations/{}?lang=ar", s.compilation),
    ));
    pages.push((
        Who::Editor,
        format!("/desk/practices/{}/translations/ar?lang=en", s.practice),
    ));
    pages.push((
        Who::Editor,
        format!("/desk/practices/{}/translations/zh?lang=ar", s.practice),
    ));
    pages.push((
        Who::Reader,
        format!("/compilations/{}?lang=zh", s.compilation),
    ));
    for (who, path) in [
        (Who::Focal, "/desk?lang=en".to_owned()),
        (Who::Focal, "/desk?lang=ar".to_owned()),
        (Who::Focal, "/desk/submissions/new?lang=en".to_owned()),
        (Who::Focal, "/desk/submissions/new?lang=zh".to_owned()),
        (
            Who::Focal,
            format!("/desk/submissions/{}?lang=en", s.returned),
        ),
        (
            Who::Focal,
            format!("/desk/submissions/{}/edit?lang=fr", s.returned),
        ),
        (
            Who::Focal,
            format!("/desk/submissions/{}/diff?from=1&to=3&lang=ru", s.returned),
        ),
        (Who::Editor, "/desk?lang=en".to_owned()),
        (Who::Editor, "/desk/review?lang=en".to_owned()),
        (Who::Editor, "/desk/review?lang=ar&section=E".to_owned()),
        (
            Who::Editor,
            format!("/desk/submissions/{}?lang=en", s.resubmitted),
        ),
        (
            Who::Editor,
            format!("/desk/submissions/{}?lang=ar", s.resubmitted),
        ),
        (Who::Editor, "/desk/submissions/new?lang=es".to_owned()),
        (Who::Focal, "/desk/account?lang=en".to_owned()),
        (Who::Focal, "/desk/account?lang=ar".to_owned()),
        (
            Who::Editor,
            format!("/desk/submissions/{}?lang=en", s.accepted),
        ),
        (Who::Editor, "/desk/compilations?lang=en".to_owned()),
        (
            Who::Editor,
            format!("/desk/compilations/{}?lang=en", s.compilation),
        ),
        (
            Who::Editor,
            format!("/desk/compilations/{}?lang=fr", s.draft),
        ),
        (
            Who::Editor,
            format!("/desk/compilations/{}?confirm=1&lang=zh", s.draft),
        ),
        (Who::Editor, "/desk/coverage?lang=ru".to_owned()),
        (Who::Admin, "/desk?lang=fr".to_owned()),
        (Who::Admin, "/desk/accounts?lang=en".to_owned()),
        (Who::Admin, format!("/desk/accounts/{}?lang=es", s.focal.id)),
        (Who::Admin, "/desk/organisations?lang=ar".to_owned()),
        (Who::Admin, "/desk/audit?lang=en".to_owned()),
        (Who::Admin, "/desk/mail?lang=en".to_owned()),
        (Who::Focal, "/desk/assessments?lang=en".to_owned()),
        (
            Who::Focal,
            format!("/desk/assessments/{}?lang=en", s.assessment),
        ),
        (
            Who::Focal,
            format!("/desk/assessments/{}?lang=ar&saved=3", s.assessment),
        ),
        (
            Who::Focal,
            format!("/desk/assessments/{}/gaps?lang=fr", s.assessment),
        ),
        (
            Who::Focal,
            format!(
                "/desk/assessments/{}/compare?with={}&lang=ru",
                s.assessment, s.assessment_before
            ),
        ),
        (
            Who::Focal,
            format!("/desk/assessments/{}/export?format=html", s.assessment),
        ),
        (Who::Editor, "/desk/assessments?lang=es".to_owned()),
        (
            Who::Editor,
            format!("/desk/assessments/{}?lang=zh", s.assessment),
        ),
        (
            Who::Editor,
            format!("/desk/assessments/{}/gaps?lang=en", s.assessment),
        ),
    ] {
        pages.push((who, path));
    }
    pages
}

fn user_of(seeded: &Seeded, who: Who) -> Option<&TestUser> {
    match who {
        Who::Reader => None,
        Who::Focal => Some(&seeded.focal),
        Who::Editor => Some(&seeded.editor),
        Who::Admin => Some(&seeded.admin),
    }
}

/// Runs the Nu Html Checker over the saved pages; answers its errors.
fn validate(vnu: &Path, files: &[PathBuf]) -> Vec<String> {
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu)
        .args(["--errors-only", "--format", "json"])
        .args(files)
        .output()
        .expect("the checker runs");
    let report: Value = serde_json::from_slice(&output.stderr)
        .or_else(|_| serde_json::from_slice(&output.stdout))
        .unwrap_or_else(|e| {
            panic!(
                "no report from vnu ({e}): {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    report["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["type"] == "error")
        .map(|m| format!("{}:{}: {}", m["url"], m["lastLine"], m["message"]))
        .collect()
}

const AXE_RUN: &str = "var done = arguments[arguments.length - 1];
    axe.run(document).then(function (r) {
        done(r.violations.map(function (v) {
            return v.id + ' (' + v.impact + '): ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(' | ');
        }));
    }, function (e) { done(['axe failed: ' + e]); });";

fn axe_violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser.script(axe);
    browser
        .script_async(AXE_RUN)
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

fn sign_in(browser: &Browser, app: &TestApp, user: &TestUser) {
    browser.go(&app.url("/sign-in?lang=en"));
    browser.find("#email").type_text(&user.email);
    browser.find("#password").type_text(PASSWORD);
    browser.find("form.desk-form button[type=submit]").click();
    browser.wait_for("location.pathname === '/desk'");
}

fn sign_out(browser: &Browser) {
    browser.find("form.sign-out button").click();
    browser.wait_for("location.pathname === '/sign-in'");
}

#[test]
fn every_page_is_valid_html_and_accessible() {
    let Some(tools) = tools() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite);
    let seeded = seed(&app);
    let pages = pages(&seeded);
    let folder = tempfile::tempdir().unwrap();

    // The HTML of every page, as each person gets it, plus the states a
    // form shows only after a post: errors beside their fields, a preview.
    let mut files = Vec::new();
    let mut save = |name: String, html: &str| {
        let file = folder.path().join(format!("{}.html", files.len()));
        std::fs::write(&file, html).unwrap();
        files.push((file, name));
    };
    for who in [Who::Reader, Who::Focal, Who::Editor, Who::Admin] {
        let mut http = match user_of(&seeded, who) {
            Some(user) => Http::signed_in(&app, user),
            None => Http::new(&app),
        };
        for (_, path) in pages.iter().filter(|(w, _)| *w == who) {
            let answer = http.get(path);
            assert!(
                [200, 404, 400].contains(&answer.status),
                "{path} as {who:?}: {}",
                answer.status
            );
            save(format!("{path} ({who:?})"), &answer.body);
        }
        if who == Who::Focal {
            let csrf = field(&http.get("/desk?lang=en").body, "csrf").unwrap();
            for (action, title) in [("save", ""), ("preview", "A title")] {
                let answer = http.post(
                    "/desk/submissions?lang=en",
                    &[
                        ("csrf", &csrf),
                        ("practices", "1"),
                        ("language", "en"),
                        ("title", title),
                        ("practices[0].title", ""),
                        ("practices[0].body", "Some **Markdown**."),
                        ("action", action),
                    ],
                );
                save(
                    format!("the new-submission form after {action}"),
                    &answer.body,
                );
            }
            let refused = http.post(
                &format!("/desk/assessments/{}?lang=fr", seeded.assessment),
                &[
                    ("csrf", &csrf),
                    ("version", "1"),
                    ("answers.4.status", "in_place"),
                    ("answers.4.evidence", "not a link"),
                    ("command", "save"),
                ],
            );
            assert_eq!(refused.status, 422, "{}", refused.body);
            save("the assessment form with errors".to_owned(), &refused.body);
        }
    }
    let paths: Vec<PathBuf> = files.iter().map(|(f, _)| f.clone()).collect();
    let errors = validate(&tools.vnu, &paths);
    let named: Vec<String> = errors
        .iter()
        .map(|e| {
            let page = files
                .iter()
                .find(|(f, _)| {
                    e.contains(&format!("/{}\"", f.file_name().unwrap().to_string_lossy()))
                })
                .map_or("?", |(_, name)| name.as_str());
            format!("{page}: {e}")
        })
        .collect();
    assert!(
        named.is_empty(),
        "the Nu Html Checker found:\n{}",
        named.join("\n")
    );

    // Accessibility, in the browser, signed in as each person in turn.
    let Some(browser) = Browser::start() else {
        return;
    };
    let mut violations = Vec::new();
    for who in [Who::Reader, Who::Focal, Who::Editor, Who::Admin] {
        if let Some(user) = user_of(&seeded, who) {
            sign_in(&browser, &app, user);
        }
        for (_, path) in pages.iter().filter(|(w, _)| *w == who) {
            browser.go(&app.url(path));
            for v in axe_violations(&browser, &tools.axe) {
                violations.push(format!("{path} ({who:?}): {v}"));
            }
        }
        if who == Who::Reader {
            // An edition's contents number each entry once, in its text
            // ("5. Key stakeholders", not "1. 5. Key stakeholders").
            browser.go(&app.url(&format!("/compilations/{}?lang=en", seeded.compilation)));
            assert_eq!(
                browser.script(
                    "return getComputedStyle(document.querySelector('.toc li')).listStyleType"
                ),
                "none"
            );
        }
        if who == Who::Focal {
            // The form's states after a post: a preview, and errors.
            browser.go(&app.url("/desk/submissions/new?lang=en"));
            browser
                .find("#practices-0-body")
                .type_text("Some **Markdown**.");
            browser.find("button[value=preview]").click();
            browser.wait_for("document.querySelector('.preview') !== null");
            for v in axe_violations(&browser, &tools.axe) {
                violations.push(format!("form preview: {v}"));
            }
            browser.script("document.querySelector('form.desk-form').noValidate = true;");
            browser.find("p.actions button[value=save]").click();
            browser.wait_for("document.querySelector('.form-errors') !== null");
            for v in axe_violations(&browser, &tools.axe) {
                violations.push(format!("form errors: {v}"));
            }
        }
        if who != Who::Reader {
            sign_out(&browser);
        }
    }
    assert!(
        violations.is_empty(),
        "axe-core found:\n{}",
        violations.join("\n")
    );
}
