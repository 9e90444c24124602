//! Coverage of the annex on both backends, against a small catalogue whose
//! counts are known: cells, totals, zero columns, Member States that have
//! contributed nothing, filters, the editors' pipeline, CSV and the page.

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::helpers::{each_backend, TestApp};

/// (entity, language, items of each practice)
const CATALOGUE: [(&str, &str, &[&[u8]]); 6] = [
    ("KEN", "en", &[&[11], &[11, 12]]),
    ("NGA", "en", &[&[11]]),
    ("FRA", "fr", &[&[13]]),
    ("BRA", "es", &[&[4]]),
    ("ITU", "en", &[&[11]]),
    ("VAT", "fr", &[&[18]]),
];

fn seed(app: &TestApp) -> crate::helpers::TestUser {
    let editor = app.user(Role::Editor, None);
    for (entity, language, practices) in CATALOGUE {
        let practices: Vec<Value> = practices
            .iter()
            .enumerate()
            .map(|(i, items)| json!({"title": format!("{entity} {i}"), "body": "Text.", "items": items}))
            .collect();
        app.accept_new(
            &editor,
            &json!({"entity": entity, "language": language, "title": entity, "practices": practices}),
        );
    }
    // Waiting for review: not in the catalogue, but in the pipeline.
    let waiting = app.post_as(
        &editor.token,
        "/api/v1/submissions",
        &json!({"entity": "KEN", "language": "en", "title": "Coming",
            "practices": [{"title": "Next", "body": "Soon.", "items": [5]}]}),
    );
    let id = waiting.json()["id"].as_str().unwrap().to_owned();
    let submitted = app.call(
        "POST",
        &format!("/api/v1/submissions/{id}/submit"),
        Some(&editor.token),
        None,
    );
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    app.wait_for_total("", 7);
    editor
}

fn coverage(app: &TestApp, query: &str) -> Value {
    let answer = app.get(&format!("/api/v1/coverage?{query}"));
    assert_eq!(answer.status, 200, "{query}: {}", answer.body);
    answer.json()
}

fn cell(table: &Value, item: usize, column: &str) -> (u64, u64) {
    let cell = &table["rows"][item - 1]["cells"][column];
    (
        cell["practices"].as_u64().unwrap(),
        cell["entities"].as_u64().unwrap(),
    )
}

#[test]
fn coverage_counts_practices_and_contributors_by_group() {
    each_backend(|app| {
        let editor = seed(app);

        let table = coverage(app, "by=region");
        assert_eq!(table["by"], "region");
        assert_eq!(
            table["columns"],
            json!(["africa", "americas", "asia", "europe", "oceania", "other"])
        );
        assert_eq!(table["rows"].as_array().unwrap().len(), 18);
        assert_eq!(table["rows"][10]["item"], 11);
        assert_eq!(table["rows"][10]["section"], "E");
        assert_eq!(cell(&table, 11, "africa"), (3, 2));
        assert_eq!(cell(&table, 11, "other"), (1, 1));
        assert_eq!(cell(&table, 12, "africa"), (1, 1));
        assert_eq!(cell(&table, 13, "europe"), (1, 1));
        assert_eq!(
            cell(&table, 18, "europe"),
            (1, 1),
            "the Holy See is in Europe"
        );
        assert_eq!(cell(&table, 4, "americas"), (1, 1));
        for item in 1..=18 {
            assert_eq!(cell(&table, item, "oceania"), (0, 0), "item {item}");
        }
        assert_eq!(table["rows"][10]["total"], 4);
        assert_eq!(
            table["totals"],
            json!({"africa": 3, "americas": 1, "asia": 0, "europe": 2, "oceania": 0, "other": 1})
        );
        assert_eq!(table["total"], 7);
        let africa: Vec<&str> = table["missing"]["africa"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!(africa.contains(&"GHA") && !africa.contains(&"KEN") && !africa.contains(&"NGA"));
        assert_eq!(table["missing"]["oceania"].as_array().unwrap().len(), 14);
        assert!(table["missing"].get("other").is_none());
        assert!(
            table.get("pipeline").is_none(),
            "readers do not see the pipeline"
        );

        let groups = coverage(app, "by=regional_group");
        assert_eq!(cell(&groups, 11, "african_states"), (3, 2));
        assert_eq!(
            cell(&groups, 18, "other"),
            (1, 1),
            "observer States belong to no group"
        );
        assert!(groups["missing"]["western_european_and_other_states"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c != "FRA"));

        let kinds = coverage(app, "by=entity_type");
        assert_eq!(cell(&kinds, 11, "member_state"), (3, 2));
        assert_eq!(cell(&kinds, 11, "international_org"), (1, 1));
        assert_eq!(cell(&kinds, 18, "observer_state"), (1, 1));
        assert!(kinds.get("missing").is_none());

        let contributors = coverage(app, "by=entity");
        assert_eq!(
            contributors["columns"],
            json!(["BRA", "FRA", "ITU", "KEN", "NGA", "VAT"])
        );
        assert_eq!(cell(&contributors, 11, "KEN"), (2, 1));

        // Filters: language, and the period of acceptance.
        let french = coverage(app, "by=region&language=fr");
        assert_eq!(french["total"], 2);
        assert_eq!(cell(&french, 11, "africa"), (0, 0));
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d");
        let later = coverage(app, &format!("from={tomorrow}"));
        assert_eq!(later["total"], 0);
        assert!(later["missing"]["africa"].as_array().unwrap().len() > 50);
        let today = chrono::Utc::now().format("%Y-%m-%d");
        assert_eq!(
            coverage(app, &format!("from={today}&to={today}"))["total"],
            7
        );

        // Editors see what is coming.
        let seen = app.get_as(&editor.token, "/api/v1/coverage?by=region");
        let pipeline = &seen.json()["pipeline"];
        assert_eq!(pipeline["0"], 1);
        assert_eq!(pipeline["5"], 1);
        assert_eq!(pipeline["11"], 0);

        for bad in [
            "by=continent",
            "colour=blue",
            "language=fr&language=en",
            "from=yesterday",
            "by=region&by=entity",
        ] {
            app.get(&format!("/api/v1/coverage?{bad}")).problem(400);
        }

        // CSV: one row per item, practices and contributors per group.
        let csv = app.get("/api/v1/coverage.csv?by=region");
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        let body = csv
            .body
            .strip_prefix('\u{feff}')
            .expect("a byte-order mark");
        let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 19);
        assert!(lines[0].starts_with("item,section,title,africa practices,africa contributors,"));
        assert!(
            lines[11].starts_with(
                "11,E,National computer incident response capacity,3,2,0,0,0,0,0,0,0,0,1,1,4"
            ),
            "{}",
            lines[11]
        );
    });
}

#[test]
fn the_coverage_page_is_a_heat_map_that_says_its_numbers() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite);
    seed(&app);
    let page = |path: &str| app.call_with("GET", path, None, None, &[("accept", "text/html")]);
    let answer = page("/coverage?lang=en");
    assert_eq!(answer.status, 200);
    let html = &answer.body;
    assert!(html.contains("<table class=\"heat-map\">"));
    assert!(
        html.contains("3 practices from 2 contributors"),
        "every cell says its numbers"
    );
    assert!(html.contains("class=\"heat-0\""), "empty cells are marked");
    assert!(html.contains("class=\"heat-4\""));
    assert!(html.contains("Member States that have contributed nothing yet"));
    assert!(html.contains("Ghana"));
    assert!(html.contains("href=\"/coverage?lang=en\" aria-current=\"page\""));
    // An untouched form (empty fields) is the default table.
    let answer = page("/coverage?by=entity_type&from=&to=&language=&lang=ar");
    assert_eq!(answer.status, 200);
    assert!(answer.body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(answer
        .body
        .contains("href=\"/api/v1/coverage.csv?by=entity_type\""));
    assert_eq!(page("/coverage?by=nation&lang=fr").status, 400);

    // Contributors are named in the reader's language, in its order.
    let headers = |html: &str| -> Vec<String> {
        let head = &html[html.find("<thead>").unwrap()..html.find("</thead>").unwrap()];
        head.split("<th scope=\"col\">")
            .skip(2)
            .filter_map(|cell| cell.split('<').next())
            .map(str::to_owned)
            .collect()
    };
    let zh = headers(&page("/coverage?by=entity&lang=zh").body);
    assert_eq!(
        zh[..6],
        [
            "巴西",
            "法国",
            "国际电信联盟",
            "肯尼亚",
            "罗马教廷",
            "尼日利亚"
        ],
        "{zh:?}"
    );
    let fr = headers(&page("/coverage?by=entity&lang=fr").body);
    assert_eq!(
        fr[..6],
        [
            "Brésil",
            "France",
            "Kenya",
            "Nigéria",
            "Saint-Siège",
            "Union internationale des télécommunications"
        ],
        "{fr:?}"
    );
}
