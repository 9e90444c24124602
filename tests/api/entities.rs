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
