//! Searching the catalogue in the six languages, with facets, snippets and
//! pages, over HTTP on both backends.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::helpers::{backends, each_backend, Backend, TestApp, TestUser};

/// (entity, language, title, body, items)
const FIXTURES: [(&str, &str, &str, &str, &[u8]); 8] = [
    ("GBR", "en", "National CSIRT", "The national computer incident response team coordinates cybersecurity incidents.", &[11]),
    ("FRA", "fr", "Campagne nationale", "Une campagne nationale de sensibilisation à la cybersécurité pour les écoles.", &[18]),
    ("ESP", "es", "Ley de ciberdelincuencia", "La legislación sobre ciberdelincuencia y la protección de datos.", &[13]),
    ("RUS", "ru", "Реагирование", "Национальная группа реагирования на компьютерные инциденты защищает сети.", &[11]),
    ("EGY", "ar", "التشريعات", "حماية البيانات والتوقيع الإلكتروني", &[13]),
    ("CHN", "zh", "应急响应", "国家计算机应急响应小组负责保护政府网络。", &[11]),
    ("AU", "en", "Budapest Convention accession", "Support for accession to the Budapest Convention, with <script>alert('x')</script> in the text.", &[13, 17]),
    ("KEN", "en", "Awareness week", "A yearly awareness week for children and their schools.", &[18]),
];

/// Submits and accepts one submission per fixture; answers the editor.
fn publish_fixtures(app: &TestApp) -> TestUser {
    let editor = app.user(Role::Editor, None);
    for (entity, language, title, body, items) in FIXTURES {
        let draft = json!({
            "entity": entity, "language": language, "title": format!("Submission of {entity}"),
            "practices": [{"title": title, "body": body, "items": items}]
        });
        app.accept_new(&editor, &draft);
    }
    app.wait_for_total("", FIXTURES.len());
    editor
}

fn search(app: &TestApp, query: &str) -> Value {
    let answer = app.get(&format!("/api/v1/practices?{query}"));
    assert_eq!(answer.status, 200, "{query}: {}", answer.body);
    answer.json()
}

fn titles(result: &Value) -> Vec<String> {
    let mut titles: Vec<String> = result["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    titles
}

fn q(text: &str) -> String {
    format!(
        "q={}",
        form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
    )
}

#[test]
fn every_language_is_found_with_its_own_rules() {
    each_backend(|app| {
        publish_fixtures(app);
        let cases = [
            ("cybersecurity", "National CSIRT"),
            ("cybersécurité", "Campagne nationale"),
            ("cybersecurite", "Campagne nationale"),
            ("CIBERDELINCUENCIA", "Ley de ciberdelincuencia"),
            ("инцидентов", "Реагирование"),
            ("الإلكترونية", "التشريعات"),
            ("应急响应", "应急响应"),
            ("coordinated", "National CSIRT"),
        ];
        for (query, title) in cases {
            let result = search(app, &q(query));
            assert!(
                titles(&result).contains(&title.to_owned()),
                "{query} should find {title}: {result}"
            );
        }
    });
}

#[test]
fn phrases_exclusions_and_prefixes() {
    each_backend(|app| {
        publish_fixtures(app);
        assert_eq!(
            titles(&search(app, &q("\"Budapest Convention\""))),
            ["Budapest Convention accession"]
        );
        assert_eq!(search(app, &q("\"Convention Budapest\""))["total"], 0);
        assert_eq!(titles(&search(app, &q("awareness"))), ["Awareness week"]);
        assert_eq!(search(app, &q("awareness -children"))["total"], 0);
        assert_eq!(
            search(app, &q("-awareness"))["total"],
            FIXTURES.len() - 1,
            "an exclusion alone searches everything else"
        );
        assert_eq!(
            titles(&search(app, &q("ciberdelin*"))),
            ["Ley de ciberdelincuencia"]
        );
        assert_eq!(
            titles(&search(app, &q("accessi*"))),
            ["Budapest Convention accession"]
        );
        assert_eq!(search(app, &q("\"unbalanced quote"))["total"], 0);
        app.get(&format!("/api/v1/practices?{}", q(&"x".repeat(10 * 1024))))
            .problem(400);
    });
}

#[test]
fn filters_combine_and_facets_are_disjunctive() {
    each_backend(|app| {
        publish_fixtures(app);
        let all = search(app, "");
        assert_eq!(all["total"], 8);
        assert_eq!(
            all["facets"]["language"],
            json!({"ar": 1, "en": 3, "es": 1, "fr": 1, "ru": 1, "zh": 1})
        );
        assert_eq!(all["facets"]["section"], json!({"E": 3, "F": 3, "G": 2}));
        assert_eq!(
            all["facets"]["entity_type"],
            json!({"member_state": 7, "regional_org": 1})
        );

        let english = search(app, "language=en");
        assert_eq!(english["total"], 3);
        assert_eq!(
            english["facets"]["language"], all["facets"]["language"],
            "a field's counts ignore its own filter"
        );
        assert_eq!(
            english["facets"]["section"],
            json!({"E": 1, "F": 1, "G": 1}),
            "other fields' counts follow the filter"
        );

        let either = search(app, "language=en&language=fr");
        assert_eq!(either["total"], 4, "repeats are OR within a field");
        let both = search(app, "language=en&item=18");
        assert_eq!(titles(&both), ["Awareness week"], "fields are AND across");
        assert_eq!(
            search(app, "section=F&entity_type=regional_org")["total"],
            1
        );
        assert_eq!(search(app, "entity=CHN&entity=RUS")["total"], 2);
        assert_eq!(
            search(app, "region=africa")["total"],
            2,
            "Egypt and Kenya; the AU has no region"
        );
        let this_year = chrono::Utc::now().format("%Y").to_string();
        assert_eq!(search(app, &format!("from={this_year}-01-01"))["total"], 8);
        assert_eq!(search(app, "to=2001-01-01")["total"], 0);
        assert_eq!(all["facets"]["year"][&this_year], 8);

        for bad in [
            "item=19",
            "section=H",
            "language=de",
            "entity_type=country",
            "sort=best",
            "limit=0",
            "colour=red",
            "from=yesterday",
            "cursor=xyz",
            "q=a&q=b",
        ] {
            app.get(&format!("/api/v1/practices?{bad}")).problem(400);
        }
    });
}

#[test]
fn snippets_mark_matches_and_escape_everything_else() {
    each_backend(|app| {
        publish_fixtures(app);
        let result = search(app, &q("Budapest"));
        let snippet = result["items"][0]["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>Budapest</mark>"), "{snippet}");
        assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
        assert!(!snippet.contains("<script>"), "{snippet}");
        let plain = search(app, "entity=AU");
        assert!(plain["items"][0]["snippet"]
            .as_str()
            .unwrap()
            .starts_with("Support for accession"));
    });
}

#[test]
fn pages_follow_a_cursor_and_stay_stable_while_the_index_changes() {
    each_backend(|app| {
        let editor = publish_fixtures(app);
        let first = search(app, "limit=3&sort=newest");
        assert_eq!(first["items"].as_array().unwrap().len(), 3);
        let mut seen: HashSet<String> = first["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect();

        // A new practice enters the catalogue between two pages.
        let draft = json!({"entity": "BRA", "language": "es", "title": "Nueva",
            "practices": [{"title": "Nueva práctica", "body": "Una práctica nueva.", "items": [4]}]});
        app.accept_new(&editor, &draft);
        app.wait_for_total("", FIXTURES.len() + 1);

        let mut cursor = first["next_cursor"].as_str().unwrap().to_owned();
        loop {
            let page = search(app, &format!("limit=3&sort=newest&cursor={cursor}"));
            assert_eq!(
                page["total"], 8,
                "a cursor keeps the searcher of its first page"
            );
            for item in page["items"].as_array().unwrap() {
                assert!(
                    seen.insert(item["id"].as_str().unwrap().to_owned()),
                    "no practice twice"
                );
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = next.to_owned(),
                None => break,
            }
        }
        assert_eq!(seen.len(), 8);
        assert_eq!(
            search(app, "")["total"],
            9,
            "a new search sees the new practice"
        );
    });
}

#[test]
fn readiness_waits_for_the_index_and_curation_reaches_it() {
    each_backend(|app| {
        let ready = app.get("/readyz");
        assert_eq!(
            ready.status, 200,
            "the harness waits for readiness: {}",
            ready.body
        );
        let editor = publish_fixtures(app);
        let found = search(app, "entity=KEN");
        let practice = found["items"][0]["id"].as_str().unwrap().to_owned();
        let curated = app.patch_as(
            &editor.token,
            &format!("/api/v1/practices/{practice}"),
            &json!({"items": [5, 18]}),
        );
        assert_eq!(curated.status, 200, "{}", curated.body);
        let result = app.wait_for_total("entity=KEN&item=5", 1);
        assert_eq!(result["items"][0]["sections"], json!(["B", "G"]));
    });
}

#[test]
fn a_practice_accepted_through_one_replica_is_found_through_another() {
    // Replicas share a database only on PostgreSQL; CI always sets it.
    if !backends().contains(&Backend::Postgres) {
        eprintln!("skipped: COMPENDIUM_TEST_DATABASE_URL is not set");
        return;
    }
    let first = TestApp::spawn(Backend::Postgres);
    let url = first.settings.storage.database_url.clone();
    let second = TestApp::spawn_with(Backend::Postgres, |s| s.storage.database_url = url.clone());
    let editor = first.user(Role::Editor, None);
    let draft = json!({"entity": "NOR", "language": "en", "title": "Replicas",
        "practices": [{"title": "Shared practice", "body": "Seen from every replica.", "items": [9]}]});
    let id = first
        .post_as(&editor.token, "/api/v1/submissions", &draft)
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    first.call(
        "POST",
        &format!("/api/v1/submissions/{id}/submit"),
        Some(&editor.token),
        None,
    );
    let accepted_at = Instant::now();
    first.call(
        "POST",
        &format!("/api/v1/submissions/{id}/accept"),
        Some(&editor.token),
        None,
    );
    second.wait_for_total(&q("replica"), 1);
    // Well within the indexer's period (10 s): the second replica was woken
    // by the first one's announcement through PostgreSQL.
    assert!(
        accepted_at.elapsed() < Duration::from_secs(3),
        "converged in {:?}",
        accepted_at.elapsed()
    );
}

#[test]
fn a_write_wakes_the_indexer_of_its_own_replica() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let draft = json!({"entity": "NOR", "language": "en", "title": "Bells",
            "practices": [{"title": "Rung practice", "body": "Indexed when accepted.", "items": [9]}]});
        // Let the rounds at start pass, so that only a wake-up can be quick.
        std::thread::sleep(Duration::from_millis(300));
        let accepted_at = Instant::now();
        app.accept_new(&editor, &draft);
        app.wait_for_total(&q("rung"), 1);
        assert!(
            accepted_at.elapsed() < Duration::from_secs(3),
            "{:?}: indexed after {:?}",
            app.backend,
            accepted_at.elapsed()
        );
    });
}

#[test]
fn a_repeated_search_is_answered_alike_until_the_catalogue_changes() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let english = json!({"entity": "NOR", "language": "en", "title": "Lighthouse",
            "practices": [{"title": "Lighthouse drill", "body": "A lighthouse exercise for operators.", "items": [9]}]});
        app.accept_new(&editor, &english);
        app.wait_for_total(&q("lighthouse"), 1);
        // The second answer comes from the search cache: the same in every byte.
        let path = format!("/api/v1/practices?{}", q("lighthouse"));
        let first = app.get(&path);
        assert_eq!(first.body, app.get(&path).body);
        assert_eq!(first.json()["facets"]["language"], json!({"en": 1}));

        let french = json!({"entity": "FRA", "language": "fr", "title": "Phare",
            "practices": [{"title": "Exercice lighthouse", "body": "Un exercice de crise nommé lighthouse.", "items": [18]}]});
        app.accept_new(&editor, &french);
        app.wait_for_total(&q("lighthouse"), 2);
        // The total, the facets and the rows all follow the new state.
        let after = app.get(&path).json();
        assert_eq!(after["facets"]["language"], json!({"en": 1, "fr": 1}));
        assert_eq!(after["facets"]["item"]["18"], 1, "{after}");
        assert_eq!(after["items"].as_array().map(Vec::len), Some(2));
        let filtered = app.get(&format!("{path}&language=fr")).json();
        assert_eq!(filtered["total"], 1);
    });
}

#[test]
fn the_csv_export_has_every_match_and_no_live_formula() {
    each_backend(|app| {
        let editor = publish_fixtures(app);
        let draft = json!({"entity": "CAN", "language": "en", "title": "Spreadsheet",
            "practices": [{"title": "=HYPERLINK(\"http://evil.example\",\"click\")", "body": "A title that looks like a formula.", "items": [1]}]});
        app.accept_new(&editor, &draft);
        app.wait_for_total("", FIXTURES.len() + 1);

        let csv = app.get("/api/v1/practices.csv");
        assert_eq!(csv.status, 200, "{}", csv.body);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        // A byte-order mark first, so that Excel reads UTF-8.
        let body = csv
            .body
            .strip_prefix('\u{feff}')
            .expect("a byte-order mark");
        let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], "id,title,entity,entity_name,entity_type,language,items,sections,accepted_at,submission_id,title_ar,title_zh,title_en,title_fr,title_ru,title_es");
        assert_eq!(lines.len(), 1 + FIXTURES.len() + 1);
        assert!(
            csv.body
                .contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""),
            "{}",
            csv.body
        );
        assert!(
            csv.body.contains("التشريعات") && csv.body.contains("应急响应"),
            "UTF-8 throughout"
        );

        let english = app.get("/api/v1/practices.csv?language=en&q=awareness");
        assert_eq!(
            english.body.split("\r\n").filter(|l| !l.is_empty()).count(),
            2
        );
        app.get("/api/v1/practices.csv?colour=red").problem(400);
    });
}

#[test]
fn relevance_puts_title_matches_first_and_newest_sorts_by_date() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let in_body = json!({"entity": "ITA", "language": "en", "title": "Body",
            "practices": [{"title": "Annual review", "body": "The resilience programme covers energy and resilience of water.", "items": [2]}]});
        let in_title = json!({"entity": "PRT", "language": "en", "title": "Title",
            "practices": [{"title": "Resilience programme", "body": "The programme covers energy operators.", "items": [2]}]});
        app.accept_new(&editor, &in_body);
        app.accept_new(&editor, &in_title);
        let ranked = app.wait_for_total(&q("resilience"), 2);
        assert_eq!(
            ranked["items"][0]["title"], "Resilience programme",
            "{ranked}"
        );
        let newest = search(app, "sort=newest");
        let dates: Vec<&str> = newest["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["accepted_at"].as_str().unwrap())
            .collect();
        let mut sorted = dates.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted);
    });
}

#[test]
fn the_index_is_not_caught_up_until_it_has_read_the_catalogue() {
    for backend in backends() {
        let app = TestApp::spawn(backend);
        let editor = app.user(Role::Editor, None);
        app.accept_new(
            &editor,
            &json!({"entity": "PER", "language": "es", "title": "t",
            "practices": [{"title": "Práctica", "body": "Cuerpo.", "items": [1]}]}),
        );
        // A second index on the same catalogue, as a new replica starts.
        let dir = tempfile::tempdir().unwrap();
        let index = compendium::search::SearchIndex::open(dir.path(), 16 * 1024 * 1024).unwrap();
        assert!(
            !index.is_caught_up(),
            "{backend:?}: /readyz answers 503 while this is false"
        );
        let store = compendium::store::Store::open(&app.settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        assert_eq!(index.catch_up(&mut connection).unwrap(), 1);
        assert!(index.is_caught_up());
        assert_eq!(index.applied_sequence(), 1);
    }
}

/// The concept layer: a reader's words that name a concept of the
/// thesaurus also find practices that say it in another language or by a
/// synonym, the answer says which concepts, the page offers the search for
/// the words alone, and `expand=false` keeps to the words.
#[test]
fn a_query_finds_the_same_concept_in_other_languages_and_synonyms() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        app.accept_new(
            &editor,
            &json!({"entity": "CHN", "language": "zh", "title": "t",
            "practices": [{"title": "勒索软件防范指南", "body": "发布勒索软件防范指南，指导关键行业做好数据备份。", "items": [3]}]}),
        );
        app.accept_new(
            &editor,
            &json!({"entity": "FRA", "language": "fr", "title": "t",
            "practices": [{"title": "Sensibilisation des PME", "body": "Des ateliers pour les petites entreprises.", "items": [18]}]}),
        );
        app.wait_for_total("", 2);
        let expanded = app.get("/api/v1/practices?q=ransomware&lang=en").json();
        assert_eq!(expanded["total"], 1, "{expanded}");
        assert_eq!(expanded["items"][0]["language"], "zh");
        let concepts_of = |answer: &Value| -> Vec<String> {
            answer["expanded"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["concept"].as_str().unwrap().to_owned())
                .collect()
        };
        assert!(
            concepts_of(&expanded).contains(&"ransomware".to_owned()),
            "{expanded}"
        );
        assert_eq!(
            expanded["expanded"][0]["labels"].as_array().unwrap().len(),
            6
        );
        // The answer lists what was searched for: the phrase's concept,
        // not the narrower reading of one of its words.
        let phrase = app
            .get("/api/v1/practices?q=incident%20response&lang=en")
            .json();
        assert_eq!(concepts_of(&phrase), ["incident-response"], "{phrase}");
        let exact = app
            .get("/api/v1/practices?q=ransomware&expand=false")
            .json();
        assert_eq!(exact["total"], 0, "{exact}");
        assert!(exact.get("expanded").is_none());
        app.get("/api/v1/practices?q=x&expand=maybe").problem(400);
        app.get("/api/v1/practices?q=x&lang=xx").problem(400);

        let page = app.get("/?q=ransomware&lang=en");
        assert!(page.body.contains("Also searched for"), "{}", page.body);
        assert!(page.body.contains("expand=false"));
        assert!(page.body.contains("勒索软件防范指南"));
    });
}
