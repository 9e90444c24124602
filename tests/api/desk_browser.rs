//! A whole round of review at the desk in a real browser (Debian's
//! headless Chromium), through the forms only: a focal point signs in,
//! drafts a submission of two practices and submits it; an editor asks for
//! changes; the focal point revises and resubmits; the editor reads what
//! changed and accepts; a reader finds the practice. Screenshots are kept
//! under `target/browser/`.

use std::path::PathBuf;

use compendium::domain::account::Role;

use crate::helpers::{Backend, TestApp, PASSWORD};
use crate::webdriver::Browser;

fn artifacts() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("browser")
}

fn sign_in(browser: &Browser, app: &TestApp, email: &str) {
    browser.go(&app.url("/desk?lang=en"));
    browser.wait_for("location.pathname === '/sign-in'");
    browser.find("#email").type_text(email);
    browser.find("#password").type_text(PASSWORD);
    browser.find("form.desk-form button[type=submit]").click();
    browser.wait_for("location.pathname === '/desk'");
}

fn sign_out(browser: &Browser) {
    browser.find("form.sign-out button").click();
    browser.wait_for("location.pathname === '/sign-in'");
}

/// Replaces a field's text (typing would add to it).
fn set(browser: &Browser, css: &str, text: &str) {
    let script = format!(
        "document.querySelector({}).value = {};",
        serde_json::to_string(css).unwrap(),
        serde_json::to_string(text).unwrap()
    );
    browser.script(&script);
}

fn open_submission(browser: &Browser, app: &TestApp, path: &str) {
    browser.go(&app.url(&format!("{path}?lang=en")));
    browser.wait_for(&format!("location.pathname === '{path}'"));
}

#[test]
fn a_submission_goes_round_the_desk_in_a_browser() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite);
    let focal = app.user(Role::FocalPoint, Some("KEN"));
    let editor = app.user(Role::Editor, None);

    // The focal point drafts two practices and submits them.
    sign_in(&browser, &app, &focal.email);
    browser.find("a[href^='/desk/submissions/new']").click();
    browser.wait_for("location.pathname === '/desk/submissions/new'");
    browser
        .find("#title")
        .type_text("Kenya's reply to resolution 64/211");
    browser
        .find("#practices-0-title")
        .type_text("National Computer Incident Response Team");
    browser
        .find("#practices-0-body")
        .type_text("The national team responds to **incidents** across government.");
    browser.find("#practices-0-item-11").click();
    browser.find("button[value=add]").click();
    browser.wait_for("document.querySelector('#practices-1-title') !== null");
    assert_eq!(
        browser.script("return document.querySelector('#practices-0-item-11').checked"),
        true,
        "adding a block keeps what was typed and ticked"
    );
    browser
        .find("#practices-1-title")
        .type_text("Cybersecurity awareness month");
    browser
        .find("#practices-1-body")
        .type_text("Schools and small businesses learn to spot phishing.");
    browser.find("#practices-1-item-18").click();
    browser.find("button[value=preview]").click();
    browser.wait_for("document.querySelector('.preview strong') !== null");
    browser.screenshot(&artifacts().join("desk-form-en.png"));
    browser.find("p.actions button[value=save]").click();
    browser.wait_for("/^\\/desk\\/submissions\\/[0-9a-f-]+$/.test(location.pathname)");
    let page: String = browser
        .script("return location.pathname")
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        browser.script("return document.querySelectorAll('.practice-card').length"),
        2
    );
    assert!(
        browser
            .script("return document.querySelectorAll('.suggested li').length")
            .as_u64()
            .unwrap()
            > 0,
        "suggested items are shown after the save"
    );
    browser.find("form[action*='/submit'] button").click();
    browser.wait_for("document.querySelector('.status[data-status=submitted]') !== null");
    sign_out(&browser);

    // The editor finds it in the queue and asks for changes.
    sign_in(&browser, &app, &editor.email);
    browser.find("a[href^='/desk/review']").click();
    browser.wait_for("location.pathname === '/desk/review'");
    browser
        .find(&format!("table.submissions a[href^='{page}']"))
        .click();
    browser.wait_for(&format!("location.pathname === '{page}'"));
    browser
        .find("#message")
        .type_text("Please say since when the team exists.");
    browser
        .find("form[action*='/request-changes'] button")
        .click();
    browser.wait_for("document.querySelector('.status[data-status=changes_requested]') !== null");
    sign_out(&browser);

    // The focal point reads the message, revises and resubmits.
    sign_in(&browser, &app, &focal.email);
    browser
        .find(&format!("table.submissions a[href^='{page}']"))
        .click();
    browser.wait_for("document.querySelector('.editor-message') !== null");
    assert!(browser
        .find(".editor-message")
        .text()
        .contains("since when the team exists"));
    browser.find("a.button[href*='/edit']").click();
    browser.wait_for("location.pathname.endsWith('/edit')");
    set(
        &browser,
        "#practices-0-body",
        "Since 2012, the national team responds to **incidents** across government.",
    );
    browser.find("p.actions button[value=save]").click();
    browser.wait_for(&format!("location.pathname === '{page}'"));
    browser.find("form[action*='/submit'] button").click();
    browser.wait_for("document.querySelector('.status[data-status=submitted]') !== null");
    sign_out(&browser);

    // The editor reads what changed since the first submission and accepts.
    sign_in(&browser, &app, &editor.email);
    open_submission(&browser, &app, &page);
    assert!(browser.find(".since ins").text().contains("2012"));
    browser.screenshot(&artifacts().join("desk-review-en.png"));
    browser.find("form[action*='/accept'] button").click();
    browser.wait_for("document.querySelector('.status[data-status=accepted]') !== null");
    browser.go(&app.url(&format!("{page}?lang=ar")));
    assert_eq!(browser.script("return document.documentElement.dir"), "rtl");
    browser.screenshot(&artifacts().join("desk-submission-ar.png"));
    sign_out(&browser);

    // A reader finds the practice.
    app.wait_for_total("q=2012", 1);
    browser.go(&app.url("/?lang=en"));
    browser.find("#q").type_text("2012");
    browser.find(".search-form button").click();
    browser.wait_for("location.search.includes('q=2012')");
    assert!(browser
        .find(".result h3 a")
        .text()
        .contains("National Computer Incident Response Team"));
}

/// A focal point of Kenya assesses the State through the form (partial
/// answers, saved by the first section's button), sees the items still
/// open with what other States shared for them, follows a recommendation
/// to the practice, and turns an answered item into a draft submission.
#[test]
fn a_state_assesses_itself_and_follows_a_recommendation_in_a_browser() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite);
    let focal = app.user(Role::FocalPoint, Some("KEN"));
    let editor = app.user(Role::Editor, None);
    app.accept_new(
        &editor,
        &serde_json::json!({"entity": "FRA", "language": "en", "title": "France's reply",
            "practices": [{"title": "A national crisis exercise every year",
                "body": "Operators of vital importance rehearse a national cyber crisis.", "items": [12]}]}),
    );
    app.wait_for_total("", 1);

    sign_in(&browser, &app, &focal.email);
    browser.find("nav a[href^='/desk/assessments']").click();
    browser.wait_for("location.pathname === '/desk/assessments'");
    browser.find("#assessment-year").click();
    browser
        .find("form[action^='/desk/assessments'] button[type=submit]")
        .click();
    browser.wait_for("/^\\/desk\\/assessments\\/[0-9a-f-]+$/.test(location.pathname)");
    assert_eq!(
        browser.script("return document.querySelectorAll('section.assessment-item').length"),
        18,
        "every item of the annex"
    );
    assert_eq!(
        browser.script("return document.querySelectorAll('form.assessment-form h2').length"),
        7,
        "grouped by the seven sections"
    );
    browser.find("#answers-11-status-in_place").click();
    set(
        &browser,
        "#answers-11-narrative",
        "A national **CERT** has coordinated incident response since 2012.",
    );
    set(
        &browser,
        "#answers-11-evidence",
        "https://cert.example.go.ke/",
    );
    browser.script("document.querySelector('#answers-11-maturity').value = '3';");
    browser.find("#answers-12-status-in_progress").click();
    browser.screenshot(&artifacts().join("assessment-form-en.png"));
    browser
        .find("#item-12 ~ p.actions button[value=save]")
        .click();
    browser.wait_for("document.querySelector('.notice') !== null");
    assert_eq!(
        browser.script("return document.querySelector('#answers-11-status-in_place').checked && document.querySelector('#answers-11-maturity').value"),
        "3",
        "the answers are kept"
    );
    let page: String = browser
        .script("return location.pathname")
        .as_str()
        .unwrap()
        .to_owned();

    // The gaps: item 12 is in progress; France's practice is recommended.
    browser.find("a[href*='/gaps']").click();
    browser.wait_for("location.pathname.endsWith('/gaps')");
    assert_eq!(
        browser.script("return document.querySelector('#gap-11-heading') === null && document.querySelector('#gap-12-heading') !== null"),
        true,
        "an item in place is no gap; one in progress is"
    );
    let why = browser
        .find("#gap-12-heading ~ ul.recommended .hint")
        .text();
    assert!(why.contains("12"), "{why}");
    browser.screenshot(&artifacts().join("assessment-gaps-en.png"));
    browser.find("#gap-12-heading ~ ul.recommended a").click();
    browser.wait_for("location.pathname.startsWith('/practices/')");
    assert!(browser
        .find("h1")
        .text()
        .contains("A national crisis exercise every year"));

    // An answered item becomes a draft submission of Kenya.
    open_submission(&browser, &app, &page);
    browser.find("button[value=draft-11]").click();
    browser.wait_for("/^\\/desk\\/submissions\\/[0-9a-f-]+$/.test(location.pathname)");
    assert_eq!(
        browser.script("return document.querySelectorAll('.practice-card').length"),
        1
    );
    assert!(browser.find(".practice-card").text().contains("CERT"));
}
