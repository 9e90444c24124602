//! The reader pages in a real browser (Debian's headless Chromium): search,
//! tick a facet, open a result, make sure a script in a practice did not
//! run, switch to Arabic. Screenshots of the search page in English and
//! Arabic are kept under `target/browser/` for people to look at.

use std::path::PathBuf;

use compendium::domain::account::Role;
use serde_json::json;

use crate::helpers::{Backend, TestApp};
use crate::webdriver::Browser;

/// (entity, language, title, body, items)
const PRACTICES: [(&str, &str, &str, &str, &[u8]); 10] = [
    ("KEN", "en", "National Computer Incident Response Team (KE-CIRT/CC)",
     "A national team coordinates the response to **cybersecurity incidents** across government and critical infrastructure operators, with a 24-hour contact point.", &[10, 11]),
    ("GBR", "en", "Incident response exercises for energy operators",
     "Yearly exercises test how electricity and gas operators respond to a major incident, and feed lessons into national contingency planning.", &[11, 12]),
    ("FRA", "fr", "Exercice national de gestion de crise cyber",
     "Un exercice annuel réunit les opérateurs d'importance vitale pour tester la réponse à un incident majeur et la coordination de crise.", &[11, 12]),
    ("ESP", "es", "Plan nacional de respuesta a incidentes",
     "El plan define las funciones del equipo nacional de respuesta a incidentes y su cooperación con el sector privado.", &[11]),
    ("EGY", "ar", "الفريق الوطني للاستجابة لحوادث الحاسوب",
     "يتولى الفريق الوطني تنسيق الاستجابة لحوادث الأمن السيبراني وتبادل المعلومات مع الجهات المعنية.", &[11]),
    ("JOR", "ar", "الاستراتيجية الوطنية للأمن السيبراني",
     "تحدد الاستراتيجية الأهداف الوطنية وأدوار الجهات المعنية في حماية الهياكل الأساسية الحيوية للمعلومات.", &[4]),
    ("RUS", "ru", "Реагирование на компьютерные инциденты",
     "Национальный центр координирует реагирование на компьютерные инциденты в критической информационной инфраструктуре.", &[11]),
    ("CHN", "zh", "国家计算机网络应急响应",
     "国家应急响应中心负责协调网络安全事件的处置工作。", &[11]),
    ("AU", "en", "Continental cybersecurity awareness month",
     "Member States of the African Union run a yearly awareness month for schools and small businesses.", &[18]),
    ("CAN", "en", "Cyber incident reporting for critical infrastructure",
     "Operators report significant incidents within 72 hours.\n\n<script>window.compromised = true</script>\n\n<img src=x onerror=\"window.compromised = true\">\n\n[Read the guidance](javascript:window.compromised=true)", &[11, 15]),
];

fn artifacts() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("browser")
}

/// The number at the end of the results count, whatever the language.
fn number_in(text: &str) -> usize {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number in {text:?}"))
}

#[test]
fn a_reader_searches_filters_reads_and_switches_to_arabic() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite);
    let editor = app.user(Role::Editor, None);
    let mut trap_id = String::new();
    for (entity, language, title, body, items) in PRACTICES {
        let submission = app.accept_new(
            &editor,
            &json!({"entity": entity, "language": language, "title": format!("Contribution of {entity}"),
                "practices": [{"title": title, "body": body, "items": items}]}),
        );
        if entity == "CAN" {
            trap_id = app.first_practice(&editor.token, &submission);
        }
    }
    app.wait_for_total("", PRACTICES.len());

    // The search page, in English, with everything.
    browser.go(&app.url("/?lang=en"));
    assert_eq!(browser.script("return document.documentElement.lang"), "en");
    assert_eq!(number_in(&browser.find("#total").text()), PRACTICES.len());

    // The first Tab reaches the skip link, which leads to the content.
    browser.press("\u{E004}");
    assert_eq!(
        browser.script("return document.activeElement.className"),
        "skip-link"
    );

    // Search for words.
    browser.find("#q").type_text("incident");
    browser.find(".search-form button").click();
    browser.wait_for("location.search.includes('q=incident')");
    let all = number_in(&browser.find("#total").text());
    assert!(all >= 4, "{all} results for incident");
    assert!(
        browser
            .script("return document.querySelectorAll('.result mark').length")
            .as_u64()
            .unwrap()
            > 0
    );
    browser.screenshot(&artifacts().join("search-en.png"));

    // Tick a facet: the count changes to what the facet said.
    let french = browser.find("input[name=language][value=fr]");
    let promised = browser
        .script("return document.querySelector('input[name=language][value=fr]').closest('label').querySelector('.count').textContent")
        .as_str()
        .map(number_in)
        .unwrap();
    french.click();
    browser.find(".filters .actions button").click();
    browser.wait_for("location.search.includes('language=fr')");
    let narrowed = number_in(&browser.find("#total").text());
    assert_eq!(narrowed, promised);
    assert!(narrowed < all, "{narrowed} of {all}");
    assert_eq!(
        browser.script("return document.querySelector('input[name=language][value=fr]').checked"),
        true
    );

    // Open a result.
    let title = browser.find(".result h3 a").text();
    browser.find(".result h3 a").click();
    browser.wait_for("location.pathname.startsWith('/practices/')");
    assert_eq!(browser.find("#practice-title").text(), title);

    // A practice whose body holds a script, an event handler and a
    // javascript: link: none of them ran or survived as markup.
    browser.go(&app.url(&format!("/practices/{trap_id}?lang=en")));
    assert_eq!(
        browser.script("return typeof window.compromised"),
        "undefined"
    );
    assert_eq!(
        browser.script("return document.querySelectorAll('.body script, .body img, .body [onerror], .body a[href^=\"javascript\"]').length"),
        0
    );
    assert!(browser
        .find(".body")
        .text()
        .contains("<script>window.compromised = true</script>"));

    // Switch to Arabic from the language menu: right to left, mirrored.
    browser.go(&app.url("/?q=incident&lang=en"));
    browser.find(".languages a[hreflang=ar]").click();
    browser.wait_for("document.documentElement.lang === 'ar'");
    assert_eq!(browser.script("return document.documentElement.dir"), "rtl");
    assert!(browser.url().contains("q=incident"), "the search is kept");
    assert_eq!(
        browser.script("return document.querySelector('aside.filters').getBoundingClientRect().left > document.querySelector('#results-heading').getBoundingClientRect().left"),
        true,
        "in Arabic the filters stand on the right"
    );
    browser.screenshot(&artifacts().join("search-ar.png"));

    // The coverage heat map: mirrored in Arabic, a row per annex item,
    // every cell's numbers in words as well as in shade.
    browser.go(&app.url("/coverage?lang=ar"));
    assert_eq!(browser.script("return document.documentElement.dir"), "rtl");
    assert_eq!(
        browser.script("return document.querySelectorAll('table.heat-map tbody tr').length"),
        18
    );
    assert_eq!(
        browser.script("return [...document.querySelectorAll('table.heat-map tbody td[class^=heat-]')].every(td => td.querySelector('.visually-hidden').textContent.trim().length > 0)"),
        true
    );
    browser.screenshot(&artifacts().join("coverage-ar.png"));
    // The table scrolls sideways in a named region the keyboard can reach,
    // and each row's item stays in view (on the right, in Arabic).
    assert_eq!(
        browser.script("const r = document.querySelector('.table-scroll'); r.focus(); return [document.activeElement === r, r.getAttribute('role'), r.getAttribute('aria-label').length > 0]"),
        serde_json::json!([true, "region", true])
    );
    assert_eq!(
        browser.script(
            "return getComputedStyle(document.querySelector('table.heat-map tbody th')).position"
        ),
        "sticky"
    );
    browser.go(&app.url("/coverage?lang=en"));
    browser.screenshot(&artifacts().join("coverage-en.png"));
}
