use std::collections::HashSet;

use crate::helpers::each_backend;

#[test]
fn the_annex_has_seven_sections_and_eighteen_items_in_each_language() {
    each_backend(|app| {
        let mut item_titles = HashSet::new();
        for lang in ["ar", "zh", "en", "fr", "ru", "es"] {
            let answer = app.get(&format!("/api/v1/annex?lang={lang}"));
            assert_eq!(answer.status, 200, "{lang}: {}", answer.body);
            let body = answer.json();
            assert_eq!(body["language"], lang);
            let sections = body["sections"].as_array().unwrap();
            let ids: Vec<_> = sections.iter().map(|s| s["id"].as_str().unwrap()).collect();
            assert_eq!(ids, ["A", "B", "C", "D", "E", "F", "G"], "{lang}");
            let numbers: Vec<u64> = sections
                .iter()
                .flat_map(|s| s["items"].as_array().unwrap())
                .map(|i| i["number"].as_u64().unwrap())
                .collect();
            assert_eq!(numbers, (1..=18).collect::<Vec<_>>(), "{lang}");
            for item in sections.iter().flat_map(|s| s["items"].as_array().unwrap()) {
                assert!(!item["summary"].as_str().unwrap().is_empty());
                item_titles.insert(item["title"].as_str().unwrap().to_owned());
            }
        }
        assert_eq!(
            item_titles.len(),
            6 * 18,
            "each language has its own titles"
        );
    });
}

#[test]
fn sections_group_the_items_as_the_resolution_does() {
    each_backend(|app| {
        let body = app.get("/api/v1/annex").json();
        assert_eq!(body["language"], "en", "English is the default");
        let groups: Vec<(String, Vec<u64>)> = body["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let items = s["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["number"].as_u64().unwrap())
                    .collect();
                (s["id"].as_str().unwrap().to_owned(), items)
            })
            .collect();
        let expected: Vec<(String, Vec<u64>)> = vec![
            ("A".into(), vec![1, 2, 3, 4]),
            ("B".into(), vec![5]),
            ("C".into(), vec![6, 7]),
            ("D".into(), vec![8, 9]),
            ("E".into(), vec![10, 11, 12]),
            ("F".into(), vec![13, 14, 15, 16, 17]),
            ("G".into(), vec![18]),
        ];
        assert_eq!(groups, expected);
        assert_eq!(
            body["sections"][4]["title"],
            "Incident management and recovery"
        );
    });
}

#[test]
fn an_unknown_language_or_parameter_is_a_bad_request() {
    each_backend(|app| {
        let problem = app.get("/api/v1/annex?lang=de").problem(400);
        assert_eq!(problem["errors"][0]["field"], "lang");
        let problem = app.get("/api/v1/annex?language=fr").problem(400);
        assert_eq!(problem["errors"][0]["field"], "language");
    });
}
