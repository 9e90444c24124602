use compendium::domain::clock;
use compendium::domain::entities::{EntityCode, EntityType};
use compendium::store::{organisations, Store};

use crate::helpers::each_backend;

#[test]
fn the_193_member_states_are_listed_with_region_and_regional_group() {
    each_backend(|app| {
        let answer = app.get("/api/v1/entities?type=member_state");
        assert_eq!(answer.status, 200, "{}", answer.body);
        let items = answer.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 193);
        for state in &items {
            assert_eq!(state["type"], "member_state");
            assert!(state["region"].is_string(), "{state}");
            let code = state["code"].as_str().unwrap();
            assert_eq!(code.len(), 3);
            assert_eq!(
                state["regional_group"].is_string(),
                code != "KIR",
                "{state}"
            );
        }
        let france = items.iter().find(|s| s["code"] == "FRA").unwrap();
        assert_eq!(france["name"], "France");
        assert_eq!(france["region"], "europe");
        assert_eq!(
            france["regional_group"],
            "western_european_and_other_states"
        );
    });
}

#[test]
fn entities_are_filtered_by_type_and_by_name_ignoring_accents() {
    each_backend(|app| {
        let observers = app.get("/api/v1/entities?type=observer_state").json();
        let codes: Vec<_> = observers["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["VAT", "PSE"]);

        let found = app.get("/api/v1/entities?q=cote%20d%27ivoire").json();
        assert_eq!(found["items"][0]["code"], "CIV");
        let by_code = app.get("/api/v1/entities?q=caricom").json();
        assert_eq!(by_code["items"][0]["type"], "regional_org");
        let all = app.get("/api/v1/entities").json();
        assert!(all["items"].as_array().unwrap().len() >= 193 + 2 + 8);
        let none = app
            .get("/api/v1/entities?type=international_org&q=africa")
            .json();
        assert_eq!(none["items"], serde_json::json!([]));
    });
}

/// The names of the listed entities of `type` in `lang`, in the order given.
fn names(app: &crate::helpers::TestApp, query: &str) -> Vec<String> {
    let answer = app.get(&format!("/api/v1/entities?{query}"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

fn position(names: &[String], name: &str) -> usize {
    names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("{name} is not in {names:?}"))
}

#[test]
fn entities_are_named_and_sorted_in_the_language_asked_for() {
    each_backend(|app| {
        // French: accented capitals sort with their letter, not after Z.
        let fr = names(app, "type=member_state&lang=fr");
        assert_eq!(fr.len(), 193);
        let order: Vec<_> = [
            "Dominique",
            "Égypte",
            "Équateur",
            "Espagne",
            "États-Unis d’Amérique",
            "Éthiopie",
            "Fidji",
        ]
        .iter()
        .map(|n| position(&fr, n))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert_eq!(fr.last().map(String::as_str), Some("Zimbabwe"));

        // Chinese: pinyin order (a, ba, de, …, zhong), not code points.
        let zh = names(app, "type=member_state&lang=zh");
        assert_eq!(zh[0], "阿尔巴尼亚");
        assert!(position(&zh, "巴西") < position(&zh, "德国"));
        assert!(position(&zh, "德国") < position(&zh, "日本"));
        assert_eq!(zh.last().map(String::as_str), Some("中国"));

        // Russian and Arabic: their alphabets; the UN's forms of names.
        let ru = names(app, "type=member_state&lang=ru");
        assert_eq!(&ru[..3], ["Австралия", "Австрия", "Азербайджан"]);
        assert!(ru.contains(&"Российская Федерация".to_owned()));
        assert_eq!(ru.last().map(String::as_str), Some("Япония"));
        let ar = names(app, "type=member_state&lang=ar");
        assert!(position(&ar, "إثيوبيا") < position(&ar, "الجزائر"));
        assert!(position(&ar, "الجزائر") < position(&ar, "مصر"));

        // Without lang, English; the groups keep their order in any language.
        let en = names(app, "type=member_state");
        assert_eq!(&en[..2], ["Afghanistan", "Albania"]);
        let all = app.get("/api/v1/entities?lang=es").json();
        let types: Vec<_> = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_owned())
            .collect();
        let first_observer = types.iter().position(|t| t == "observer_state").unwrap();
        assert_eq!(first_observer, 193);
        let observers = names(app, "type=observer_state&lang=es");
        assert_eq!(observers, ["Estado de Palestina", "Santa Sede"]);
        let organisations = names(app, "type=regional_org&lang=fr");
        assert!(
            organisations.contains(&"Union africaine".to_owned()),
            "{organisations:?}"
        );

        // A name in any language finds the entity, named as asked.
        let egypt = app.get("/api/v1/entities?q=%C3%89gypte").json();
        assert_eq!(egypt["items"][0]["code"], "EGY");
        assert_eq!(egypt["items"][0]["name"], "Egypt");
        let china = app
            .get("/api/v1/entities?q=%E4%B8%AD%E5%9B%BD&lang=ar")
            .json();
        assert_eq!(china["items"][0]["code"], "CHN");
        assert_eq!(china["items"][0]["name"], "الصين");
        app.get("/api/v1/entities?lang=de").problem(400);
    });
}

#[test]
fn an_unknown_type_is_a_bad_request_naming_the_parameter() {
    each_backend(|app| {
        let problem = app.get("/api/v1/entities?type=country").problem(400);
        assert_eq!(problem["errors"][0]["field"], "type");
        let long = "x".repeat(201);
        app.get(&format!("/api/v1/entities?q={long}")).problem(400);
    });
}

#[test]
fn organisations_kept_in_the_database_are_listed_with_the_reference_ones() {
    each_backend(|app| {
        let store = Store::open(&app.settings).expect("the test database opens");
        let mut connection = store.blocking_connection().expect("a connection");
        let organisation = compendium::domain::entities::NewOrganisation {
            code: EntityCode::parse("GFCE").unwrap(),
            name: "Global Forum on Cyber Expertise".to_owned(),
            entity_type: EntityType::InternationalOrg,
        };
        organisations::insert(&mut connection, &organisation, clock::now()).expect("first insert");
        let again =
            organisations::insert(&mut connection, &organisation, clock::now()).unwrap_err();
        assert_eq!(again.kind(), "conflict");

        let listed = app
            .get("/api/v1/entities?type=international_org&q=cyber%20expertise")
            .json();
        assert_eq!(listed["items"][0]["code"], "GFCE");
        assert_eq!(listed["items"][0]["type"], "international_org");
    });
}
