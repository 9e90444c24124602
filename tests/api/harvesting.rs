//! `/oai`, OAI-PMH 2.0, judged by tools nobody here wrote: Sickle (PyPI)
//! harvests the whole catalogue through resumption tokens, and xmllint
//! validates every kind of answer against the protocol's schema
//! (`tests/oai/OAI-PMH.xsd`). Both must be installed in CI (`.ci/run`
//! does it); elsewhere a missing tool is reported and its part skipped.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command;

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::helpers::{backends, checker_present, TestApp, TestUser};

const OAI: &str = "http://www.openarchives.org/OAI/2.0/";

fn oai_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oai")
}

fn submission(entity: &str, title: &str, items: &[&[u8]]) -> Value {
    let practices: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(n, items)| {
            json!({"title": format!("{title}, measure {}", n + 1),
                   "body": format!("What {entity} did: measure {} of *{title}*.", n + 1),
                   "items": items})
        })
        .collect();
    json!({"entity": entity, "language": "fr", "title": title, "practices": practices})
}

fn practices_of(app: &TestApp, editor: &TestUser, submission: &str) -> Vec<String> {
    let view = app.get_as(&editor.token, &format!("/api/v1/submissions/{submission}"));
    view.json()["practices"]
        .as_array()
        .expect("practices")
        .iter()
        .map(|p| p["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn oai(app: &TestApp, query: &str) -> String {
    let answer = app.get(&format!("/oai?{query}"));
    assert_eq!(answer.status, 200, "{query}: {}", answer.body);
    assert_eq!(
        answer.header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    answer.body
}

/// The error code of an answer, if it is an error.
fn error_code(xml: &str) -> Option<String> {
    let document = roxmltree::Document::parse(xml).expect("well-formed XML");
    document
        .descendants()
        .find(|n| n.has_tag_name((OAI, "error")))
        .and_then(|n| n.attribute("code").map(str::to_owned))
}

/// The identifiers of a list page, and its resumption token if it has one.
fn page(xml: &str) -> (Vec<String>, Option<String>) {
    let document = roxmltree::Document::parse(xml).expect("well-formed XML");
    let identifiers = document
        .descendants()
        .filter(|n| n.has_tag_name((OAI, "header")))
        .filter_map(|h| {
            h.children()
                .find(|n| n.has_tag_name((OAI, "identifier")))
                .and_then(|n| n.text())
                .map(str::to_owned)
        })
        .collect();
    let token = document
        .descendants()
        .find(|n| n.has_tag_name((OAI, "resumptionToken")))
        .and_then(|n| n.text())
        .map(str::to_owned);
    (identifiers, token)
}

#[test]
fn a_harvester_collects_every_practice_through_resumption_tokens() {
    let xmllint = checker_present("xmllint", Command::new("xmllint").arg("--version"));
    let sickle = checker_present(
        "sickle (pip install sickle)",
        Command::new("python3").args(["-c", "import sickle"]),
    );
    for backend in backends() {
        let app = TestApp::spawn_with(backend, |s| {
            s.harvest.page_size = 4;
            s.http.public_url = "https://compendium.un.example".to_owned();
            // The schema wants a dotted domain in adminEmail.
            s.mail.from = "compendium@un.example".parse().expect("an address");
        });
        let mut answers: Vec<(String, String)> = Vec::new();
        let mut keep = |name: &str, xml: String| {
            answers.push((name.to_owned(), xml.clone()));
            xml
        };

        // An empty catalogue: Identify still answers; lists match nothing.
        let identify = keep("identify-empty", oai(&app, "verb=Identify"));
        assert!(identify.contains("<earliestDatestamp>2009-12-21T00:00:00Z</earliestDatestamp>"));
        let empty = keep("empty", oai(&app, "verb=ListRecords&metadataPrefix=oai_dc"));
        assert_eq!(error_code(&empty).as_deref(), Some("noRecordsMatch"));

        let editor = app.user(Role::Editor, None);
        let mut practices = Vec::new();
        for (entity, title, items) in [
            ("FRA", "Plan national", &[&[10u8, 11][..], &[1], &[18]][..]),
            ("KEN", "Cadre national", &[&[13][..], &[5]][..]),
            ("AU", "Convention de Malabo", &[&[16][..], &[17, 13]][..]),
        ] {
            let id = app.accept_new(&editor, &submission(entity, title, items));
            practices.extend(practices_of(&app, &editor, &id));
        }
        assert_eq!(practices.len(), 7);
        let withdrawn = practices[1].clone();
        let done = app.post_as(
            &editor.token,
            &format!("/api/v1/practices/{withdrawn}/withdraw"),
            &json!({"reason": "Published in error."}),
        );
        assert_eq!(done.status, 200, "{}", done.body);

        // A harvest by hand: one page, then a practice arrives, then the
        // rest. Nothing is skipped and nothing is answered twice.
        let first = keep(
            "list-records-1",
            oai(&app, "verb=ListRecords&metadataPrefix=oai_dc"),
        );
        let (mut seen, mut token) = page(&first);
        assert_eq!(seen.len(), 4);
        let late = app.accept_new(&editor, &submission("JPN", "Stratégie", &[&[12]]));
        practices.extend(practices_of(&app, &editor, &late));
        let mut pages = 1;
        let mut last = first.clone();
        while let Some(next) = token {
            pages += 1;
            let xml = keep(
                &format!("list-records-{pages}"),
                oai(&app, &format!("verb=ListRecords&resumptionToken={next}")),
            );
            let (identifiers, following) = page(&xml);
            seen.extend(identifiers);
            token = following;
            last = xml;
        }
        assert_eq!(pages, 2, "8 records, 4 a page");
        let expected: HashSet<String> = practices.iter().map(|p| format!("urn:uuid:{p}")).collect();
        assert_eq!(seen.len(), expected.len(), "{seen:?}");
        assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), expected);
        assert!(last.contains("<resumptionToken cursor=\"4\"/>"), "{last}");

        // The withdrawn practice is a deleted record.
        let gone = keep(
            "get-deleted",
            oai(
                &app,
                &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier=urn:uuid:{withdrawn}"),
            ),
        );
        assert!(gone.contains("<header status=\"deleted\">") && !gone.contains("<metadata>"));

        // Selective harvests: by set, and by date.
        let organisations = keep(
            "set-regional",
            oai(
                &app,
                "verb=ListIdentifiers&metadataPrefix=oai_dc&set=type:regional_org",
            ),
        );
        assert_eq!(page(&organisations).0.len(), 2);
        let section_f = oai(
            &app,
            "verb=ListIdentifiers&metadataPrefix=oai_dc&set=section:F",
        );
        assert_eq!(page(&section_f).0.len(), 3, "{section_f}");
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let (dated, _) = page(&oai(
            &app,
            &format!(
                "verb=ListIdentifiers&metadataPrefix=oai_dc&set=type:regional_org&from={today}&until={today}"
            ),
        ));
        assert_eq!(dated.len(), 2);
        for (name, query, code) in [
            (
                "before",
                "verb=ListRecords&metadataPrefix=oai_dc&until=2009-12-20",
                "noRecordsMatch",
            ),
            ("bad-verb", "verb=Harvest", "badVerb"),
            (
                "bad-argument",
                "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
                "badArgument",
            ),
            (
                "bad-token",
                "verb=ListRecords&resumptionToken=MXwy",
                "badResumptionToken",
            ),
            (
                "format",
                "verb=ListRecords&metadataPrefix=marc21",
                "cannotDisseminateFormat",
            ),
            (
                "unknown",
                "verb=GetRecord&metadataPrefix=oai_dc&identifier=urn:uuid:x",
                "idDoesNotExist",
            ),
        ] {
            let xml = keep(name, oai(&app, query));
            assert_eq!(error_code(&xml).as_deref(), Some(code), "{query}");
        }
        for (name, query) in [
            ("identify", "verb=Identify"),
            ("formats", "verb=ListMetadataFormats"),
            ("sets", "verb=ListSets"),
        ] {
            let xml = keep(name, oai(&app, query));
            assert_eq!(error_code(&xml), None, "{query}: {xml}");
        }

        if xmllint {
            let dir = tempfile::tempdir().expect("a scratch directory");
            let files: Vec<PathBuf> = answers
                .iter()
                .map(|(name, xml)| {
                    let path = dir.path().join(format!("{name}.xml"));
                    std::fs::write(&path, xml).expect("written");
                    path
                })
                .collect();
            let output = Command::new("xmllint")
                .arg("--noout")
                .arg("--nonet")
                .arg("--schema")
                .arg(oai_dir().join("OAI-PMH.xsd"))
                .args(&files)
                .output()
                .expect("xmllint runs");
            assert!(
                output.status.success(),
                "{backend:?}: schema validation failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }

        if sickle {
            let output = Command::new("python3")
                .arg(oai_dir().join("harvest.py"))
                .arg(app.url("/oai"))
                .output()
                .expect("python3 runs");
            assert!(
                output.status.success(),
                "{backend:?}: the harvester failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let harvest: Value = serde_json::from_slice(&output.stdout).expect("JSON");
            let identify = &harvest["identify"];
            assert_eq!(identify["protocolVersion"], "2.0");
            assert_eq!(identify["deletedRecord"], "persistent");
            assert_eq!(identify["granularity"], "YYYY-MM-DDThh:mm:ssZ");
            assert_eq!(identify["baseURL"], "https://compendium.un.example/oai");
            assert_eq!(identify["adminEmail"], "compendium@un.example");
            assert_eq!(harvest["formats"], json!(["oai_dc"]));
            assert_eq!(harvest["sets"].as_array().map(Vec::len), Some(32));
            let records = harvest["records"].as_array().expect("records");
            assert_eq!(records.len(), 8);
            assert_eq!(harvest["tokens_followed"], 1);
            let harvested: HashSet<String> = records
                .iter()
                .map(|r| r["identifier"].as_str().unwrap_or_default().to_owned())
                .collect();
            assert_eq!(harvested, expected);
            for record in records {
                if record["deleted"] == true {
                    assert_eq!(record["identifier"], format!("urn:uuid:{withdrawn}"));
                    continue;
                }
                assert_eq!(record["simple_dc"], true, "{record}");
                let metadata = &record["metadata"];
                for element in [
                    "title",
                    "creator",
                    "subject",
                    "description",
                    "date",
                    "identifier",
                    "language",
                    "rights",
                    "type",
                ] {
                    assert!(metadata[element].is_array(), "{element} in {record}");
                }
                assert_eq!(metadata["language"], json!(["fr"]));
                assert!(
                    metadata["identifier"][0].as_str().is_some_and(
                        |url| url.starts_with("https://compendium.un.example/practices/")
                    )
                );
            }
            let kenya = records
                .iter()
                .find(|r| r["metadata"]["title"][0] == "Cadre national, measure 1")
                .expect("Kenya's first practice");
            // The creator is named in the practice's language.
            assert_eq!(kenya["metadata"]["creator"], json!(["Kenya"]));
            assert_eq!(
                kenya["sets"],
                json!(["section:F", "item:13", "type:member_state"])
            );
            let malabo = records
                .iter()
                .find(|r| r["metadata"]["title"][0] == "Convention de Malabo, measure 1")
                .expect("the African Union's first practice");
            assert_eq!(malabo["metadata"]["creator"], json!(["Union africaine"]));
            assert_eq!(harvest["section_E"].as_array().map(Vec::len), Some(2));
            assert_eq!(harvest["by_post"].as_array().map(Vec::len), Some(8));
            assert_eq!(
                harvest["errors"],
                json!({"future": "noRecordsMatch", "unknown": "idDoesNotExist"})
            );
        }
    }
}
