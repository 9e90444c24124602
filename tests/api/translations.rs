//! Courtesy translations of the catalogue's practices: who may write them,
//! the versions and trail they leave, what readers get in each language,
//! and what a revision of the text does to them.

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::helpers::{each_backend, error_fields, TestApp, TestUser};

/// An accepted English practice of Kenya's: (submission, practice).
fn published(app: &TestApp, editor: &TestUser) -> (String, String) {
    let submission = app.accept_new(
        editor,
        &json!({"entity": "KEN", "language": "en", "title": "Kenya",
            "practices": [{"title": "National CSIRT", "body": "The national team coordinates incident response.", "items": [11]}]}),
    );
    let practice = app.first_practice(&editor.token, &submission);
    (submission, practice)
}

fn put(
    app: &TestApp,
    who: Option<&str>,
    path: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> crate::helpers::Answer {
    app.call_with("PUT", path, who, Some(body), headers)
}

const FRENCH: &str = "Équipe nationale d’intervention en cas d’incident informatique";

#[test]
fn editors_translate_a_practice_and_readers_get_it_in_their_language() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let (submission, practice) = published(app, &editor);
        let path = format!("/api/v1/practices/{practice}/translations/fr");
        let text = json!({"title": FRENCH, "body": "L’équipe nationale coordonne la *réponse* aux incidents."});

        // Only editors write translations.
        put(app, None, &path, &text, &[]).problem(401);
        put(app, Some(&focal.token), &path, &text, &[]).problem(403);

        let before = app.get(&format!("/api/v1/practices/{practice}"));
        let etag = before.header("etag").unwrap().to_owned();
        let added = put(
            app,
            Some(&editor.token),
            &path,
            &text,
            &[("if-match", &etag)],
        );
        assert_eq!(added.status, 201, "{}", added.body);
        assert_eq!(
            added.header("location"),
            Some(format!("/api/v1/practices/{practice}?lang=fr").as_str())
        );
        let new_etag = added.header("etag").unwrap().to_owned();
        assert_ne!(new_etag, etag);
        let view = added.json();
        assert_eq!(view["title"], FRENCH);
        assert_eq!(
            (
                view["language"].as_str(),
                view["original_language"].as_str()
            ),
            (Some("fr"), Some("en"))
        );
        assert_eq!(view["translated"], true);
        assert_eq!(view["translated_by"], "secretariat");
        assert_eq!(view["translations"], json!(["fr"]));

        // A decision on an older version is refused; replacing answers 200.
        let stale = put(
            app,
            Some(&editor.token),
            &path,
            &text,
            &[("if-match", &etag)],
        );
        assert_eq!(stale.status, 412, "{}", stale.body);
        let replaced = put(
            app,
            Some(&editor.token),
            &path,
            &json!({"title": format!("{FRENCH} (CSIRT)"), "body": "L’équipe nationale."}),
            &[("if-match", &new_etag)],
        );
        assert_eq!(replaced.status, 200, "{}", replaced.body);

        // Readers: the translation in French, the original otherwise.
        let french = app
            .get(&format!("/api/v1/practices/{practice}?lang=fr"))
            .json();
        assert_eq!(french["title"], format!("{FRENCH} (CSIRT)"));
        assert_eq!(french["translated"], true);
        for query in ["", "?lang=ru", "?lang=en"] {
            let original = app
                .get(&format!("/api/v1/practices/{practice}{query}"))
                .json();
            assert_eq!(original["title"], "National CSIRT", "{query}");
            assert_eq!(original["language"], "en");
            assert_eq!(original["translated"], false);
            assert_eq!(original["translations"], json!(["fr"]));
        }
        app.get(&format!("/api/v1/practices/{practice}?lang=de"))
            .problem(400);

        // Each change is a version, on the trail.
        let events = app
            .get_as(
                &editor.token,
                &format!("/api/v1/submissions/{submission}/events"),
            )
            .json();
        let translated: Vec<&str> = events
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "translate")
            .filter_map(|e| e["message"].as_str())
            .collect();
        assert_eq!(
            translated,
            [
                format!("practice {practice}: translation into fr added"),
                format!("practice {practice}: translation into fr replaced")
            ]
        );

        // Removed: readers in French read the original again.
        let removed = app.call("DELETE", &path, Some(&editor.token), None);
        assert_eq!(removed.status, 204, "{}", removed.body);
        assert!(removed.header("etag").is_some());
        app.call("DELETE", &path, Some(&editor.token), None)
            .problem(404);
        let after = app
            .get(&format!("/api/v1/practices/{practice}?lang=fr"))
            .json();
        assert_eq!(
            (after["title"].as_str(), after["translated"].as_bool()),
            (Some("National CSIRT"), Some(false))
        );
        assert_eq!(after["translations"], json!([]));
    });
}

#[test]
fn a_translation_must_be_into_another_un_language_of_a_practice_in_the_catalogue() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let (_, practice) = published(app, &editor);
        let token = Some(editor.token.as_str());
        let text = json!({"title": "Título", "body": "Cuerpo."});
        let into = |lang: &str| format!("/api/v1/practices/{practice}/translations/{lang}");

        let same = put(app, token, &into("en"), &text, &[]).problem(422);
        assert_eq!(error_fields(&same), ["lang"]);
        let unknown = put(app, token, &into("de"), &text, &[]).problem(400);
        assert_eq!(error_fields(&unknown), ["lang"]);
        let broken = put(
            app,
            token,
            &into("es"),
            &json!({"title": "Línea\nrota", "body": " "}),
            &[],
        )
        .problem(422);
        assert_eq!(error_fields(&broken), ["title", "body"]);
        put(app, token, &into("es"), &json!({"title": "T"}), &[]).problem(400);
        put(
            app,
            token,
            &into("es"),
            &json!({"title": "T", "body": "B", "extra": 1}),
            &[],
        )
        .problem(400);
        put(
            app,
            token,
            "/api/v1/practices/no-such-practice/translations/es",
            &text,
            &[],
        )
        .problem(404);
        app.call("DELETE", &into("es"), token, None).problem(404);

        // A draft's practice is not in the catalogue.
        let draft = app.post_as(
            &editor.token,
            "/api/v1/submissions",
            &json!({"entity": "KEN", "language": "en", "title": "Draft",
                "practices": [{"title": "Unpublished", "body": "Not yet."}]}),
        );
        let hidden = draft.json()["practices"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let refused = put(
            app,
            token,
            &format!("/api/v1/practices/{hidden}/translations/es"),
            &text,
            &[],
        );
        assert_eq!(refused.status, 409, "{}", refused.body);

        // A withdrawn practice is not translated any more.
        let withdrawn = app.post_as(
            &editor.token,
            &format!("/api/v1/practices/{practice}/withdraw"),
            &json!({"reason": "Superseded"}),
        );
        assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
        put(app, token, &into("es"), &text, &[]).problem(409);
    });
}

#[test]
fn the_practice_page_shows_the_translation_with_a_note_and_the_way_to_the_original() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let (_, practice) = published(app, &editor);
        let path = format!("/api/v1/practices/{practice}/translations/ar");
        let arabic = "الفريق الوطني للاستجابة للحوادث";
        let added = put(
            app,
            Some(&editor.token),
            &path,
            &json!({"title": arabic, "body": "ينسق الفريق الوطني الاستجابة للحوادث."}),
            &[],
        );
        assert_eq!(added.status, 201, "{}", added.body);

        let page = |query: &str| {
            app.call_with(
                "GET",
                &format!("/practices/{practice}?{query}"),
                None,
                None,
                &[("accept", "text/html")],
            )
            .body
        };
        let html = page("lang=ar");
        assert!(
            html.contains(&format!(
                "<h1 id=\"practice-title\" lang=\"ar\" dir=\"rtl\">{arabic}</h1>"
            )),
            "{html}"
        );
        assert!(html.contains("role=\"note\""), "{html}");
        assert!(
            html.contains("ترجمة غير رسمية أعدتها الأمانة العامة"),
            "{html}"
        );
        assert!(
            html.contains(&format!(
                "href=\"/practices/{practice}?original=1&amp;lang=ar\""
            )),
            "{html}"
        );

        // The original, asked for: the English text, and the translation offered.
        let html = page("lang=ar&original=1");
        assert!(
            html.contains("lang=\"en\" dir=\"ltr\">National CSIRT</h1>"),
            "{html}"
        );
        assert!(!html.contains("role=\"note\""));
        assert!(
            html.contains(&format!("href=\"/practices/{practice}?lang=ar\"")),
            "{html}"
        );

        // A reader in a language it has no translation into reads the original.
        let html = page("lang=zh");
        assert!(html.contains(">National CSIRT</h1>"));
        assert!(!html.contains("translation-note"));
    });
}

#[test]
fn a_revision_that_corrects_a_text_takes_its_translations_away() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let (submission, practice) = published(app, &editor);
        let added = put(
            app,
            Some(&editor.token),
            &format!("/api/v1/practices/{practice}/translations/es"),
            &json!({"title": "Equipo nacional", "body": "El equipo nacional."}),
            &[],
        );
        assert_eq!(added.status, 201, "{}", added.body);

        let opened = app.call(
            "POST",
            &format!("/api/v1/submissions/{submission}/revise"),
            Some(&focal.token),
            None,
        );
        assert_eq!(opened.status, 201, "{}", opened.body);
        let id = opened.json()["id"].as_str().unwrap().to_owned();
        let corrected = json!({"language": "en", "title": "Kenya", "practices": [{
            "title": "National CSIRT",
            "body": "The national team coordinates incident response, day and night.",
            "items": [11],
            "replaces": practice
        }]});
        let saved = app.call_with(
            "PUT",
            &format!("/api/v1/submissions/{id}"),
            Some(&focal.token),
            Some(&corrected),
            &[("if-match", "\"v1\"")],
        );
        assert_eq!(saved.status, 200, "{}", saved.body);
        for (who, action) in [(&focal, "submit"), (&editor, "accept")] {
            let moved = app.post_as(
                &who.token,
                &format!("/api/v1/submissions/{id}/{action}"),
                &json!({}),
            );
            assert_eq!(moved.status, 200, "{action}: {}", moved.body);
        }
        let now = app
            .get(&format!("/api/v1/practices/{practice}?lang=es"))
            .json();
        assert_eq!(now["translated"], false, "{now}");
        assert_eq!(now["translations"], json!([]));
        assert!(now["body"].as_str().unwrap().contains("day and night"));
    });
}

#[test]
fn search_finds_a_practice_through_its_translation_and_says_so() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let (_, practice) = published(app, &editor);
        let path = format!("/api/v1/practices/{practice}/translations/fr");
        let text = json!({"title": FRENCH, "body": "Une sentinelle nationale coordonne la réponse aux incidents."});
        let added = put(app, Some(&editor.token), &path, &text, &[]);
        assert_eq!(added.status, 201, "{}", added.body);

        // A word only the translation holds, found with French stemming
        // ("sentinelles" → "sentinelle"), the hit shown in French.
        let found = app.wait_for_total("q=sentinelles&expand=false", 1);
        let hit = &found["items"][0];
        assert_eq!(hit["id"], practice.as_str());
        assert_eq!(
            (hit["language"].as_str(), hit["translation"].as_str()),
            (Some("en"), Some("fr"))
        );
        assert_eq!(hit["title"], FRENCH);
        assert!(
            hit["snippet"]
                .as_str()
                .unwrap()
                .contains("<mark>sentinelle</mark>"),
            "{hit}"
        );
        // Its language facet is still the one it was written in.
        assert_eq!(found["facets"]["language"], json!({"en": 1}));

        // A reader in French gets the translation whatever the words matched.
        let french = app.get("/api/v1/practices?q=CSIRT&lang=fr").json();
        assert_eq!(french["items"][0]["title"], FRENCH);
        assert_eq!(french["items"][0]["translation"], "fr");
        // Others get the original, unmarked.
        for query in ["q=CSIRT", "q=CSIRT&lang=ru", "q=CSIRT&lang=en"] {
            let original = app.get(&format!("/api/v1/practices?{query}")).json();
            assert_eq!(original["items"][0]["title"], "National CSIRT", "{query}");
            assert!(original["items"][0].get("translation").is_none(), "{query}");
        }

        // The catalogue's CSV carries the title in every language it has.
        let csv = app.get("/api/v1/practices.csv?q=CSIRT").body;
        let row = csv.lines().nth(1).unwrap_or_default();
        assert!(
            row.ends_with(&format!(",,,National CSIRT,{FRENCH},,")),
            "{csv}"
        );

        // The search page marks it.
        let page = app
            .call_with(
                "GET",
                "/?q=sentinelle&lang=fr",
                None,
                None,
                &[("accept", "text/html")],
            )
            .body;
        assert!(page.contains("Traduction de courtoisie"), "{page}");
        assert!(
            page.contains(&format!(
                "lang=\"fr\" dir=\"ltr\"><a href=\"/practices/{practice}?lang=fr\">{FRENCH}"
            )),
            "{page}"
        );

        // Removed, the translation is no longer found.
        let removed = app.call("DELETE", &path, Some(&editor.token), None);
        assert_eq!(removed.status, 204, "{}", removed.body);
        app.wait_for_total("q=sentinelles&expand=false", 0);
    });
}

#[test]
fn a_compilation_is_read_in_any_language_with_each_entry_translated_where_it_can_be() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let (_, practice) = published(app, &editor);
        let added = put(
            app,
            Some(&editor.token),
            &format!("/api/v1/practices/{practice}/translations/fr"),
            &json!({"title": FRENCH, "body": "L’équipe **nationale**."}),
            &[],
        );
        assert_eq!(added.status, 201, "{}", added.body);
        let (id, _) = app.publish_compilation(&editor, &json!({"title": "Edition", "scope": {}}));
        let export = |query: &str| app.get(&format!("/api/v1/compilations/{id}/export?{query}"));

        // French: the translation, with its note; labels and names in French.
        let html = export("format=html&lang=fr").body;
        assert!(
            html.starts_with("<!DOCTYPE html><html lang=\"fr\" dir=\"ltr\">"),
            "{html}"
        );
        assert!(
            html.contains("<h4 lang=\"fr\" dir=\"ltr\"><a href=\"http"),
            "{html}"
        );
        assert!(html.contains(FRENCH) && html.contains("<strong>nationale</strong>"));
        assert!(html.contains("Ceci est une traduction de courtoisie du Secrétariat"));
        let md = export("format=md&lang=fr").body;
        assert!(md.contains("Ceci est une traduction de courtoisie"), "{md}");
        let csv = export("format=csv&lang=fr").body;
        let row = csv.lines().nth(1).unwrap_or_default();
        assert!(row.contains(FRENCH) && row.ends_with(",fr"), "{csv}");
        let json = export("format=json&lang=fr").json();
        assert_eq!(json["entries"][0]["translation"], "fr");
        assert_eq!(json["entries"][0]["title"], FRENCH);
        assert_eq!(json["entries"][0]["language"], "en");

        // Arabic: right to left, labels and the State's name in Arabic, the
        // entry as written (it has no Arabic translation), said so.
        let html = export("format=html&lang=ar").body;
        assert!(
            html.starts_with("<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\">"),
            "{html}"
        );
        assert!(html.contains("كينيا"), "{html}");
        assert!(html.contains("<h4 lang=\"en\" dir=\"ltr\">"), "{html}");
        assert!(!html.contains("ترجمة غير رسمية"));

        // Every format in every language: the document's language and
        // direction, its labels in that language.
        for language in compendium::domain::Language::ALL {
            let code = language.code();
            let direction = if code == "ar" { "rtl" } else { "ltr" };
            let html = export(&format!("format=html&lang={code}")).body;
            let opening = format!("<html lang=\"{code}\" dir=\"{direction}\">");
            assert!(html.contains(&opening), "{code}");
            let contents = &compendium::i18n::labels(language).contents;
            assert!(html.contains(contents.as_str()), "{code}");
            let md = export(&format!("format=md&lang={code}")).body;
            assert!(md.contains(&format!("## {contents}")), "{code}: {md}");
            for format in ["csv", "json"] {
                let answer = export(&format!("format={format}&lang={code}"));
                assert_eq!(answer.status, 200, "{format} {code}");
            }
        }

        // Without lang: English, the texts as written, nothing marked.
        let json = export("format=json").json();
        assert_eq!(json["entries"][0]["title"], "National CSIRT");
        assert!(json["entries"][0].get("translation").is_none());
        export("format=json&lang=xx").problem(400);

        // The edition page reads in the reader's language, and its
        // downloads keep it.
        let page = app
            .call_with(
                "GET",
                &format!("/compilations/{id}?lang=fr"),
                None,
                None,
                &[("accept", "text/html")],
            )
            .body;
        assert!(page.contains(FRENCH), "{page}");
        assert!(
            page.contains(&format!(
                "/api/v1/compilations/{id}/export?format=md&amp;lang=fr"
            )),
            "{page}"
        );
    });
}

#[test]
fn an_editor_translates_at_the_desk_beside_the_original() {
    use crate::desk::{field, Browser};
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let (submission, practice) = published(app, &editor);
        let mut desk = Browser::signed_in(app, &editor);

        // The submission's page links to a translation per other language.
        let page = desk.get(&format!("/desk/submissions/{submission}?lang=en"));
        assert_eq!(page.status, 200);
        let into_russian = format!("/desk/practices/{practice}/translations/ru?lang=en");
        assert!(
            page.body.contains(&into_russian.replace('&', "&amp;")),
            "{}",
            page.body
        );
        assert!(!page
            .body
            .contains(&format!("/desk/practices/{practice}/translations/en?")));

        // The desk names the State in the editor's language too.
        let russian_page = desk.get(&format!("/desk/submissions/{submission}?lang=ru"));
        assert!(
            russian_page.body.contains("<dd>Кения</dd>"),
            "{}",
            russian_page.body
        );

        // The page shows the original beside an empty form.
        let form = desk.get(&into_russian);
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(form
            .body
            .contains("The national team coordinates incident response."));
        let csrf = field(&form.body, "csrf").unwrap();
        let version = field(&form.body, "version").unwrap();
        let path = format!("/desk/practices/{practice}/translations/ru?lang=en");

        // A refused text comes back in the form, with why.
        let refused = desk.post(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("title", "Национальная группа"),
                ("body", " "),
            ],
        );
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused.body.contains("form-errors") && refused.body.contains("Национальная группа")
        );

        let saved = desk.post(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("title", "Национальная группа"),
                ("body", "Группа **реагирования**."),
            ],
        );
        assert_eq!(saved.status, 303, "{}", saved.body);
        let russian = app
            .get(&format!("/api/v1/practices/{practice}?lang=ru"))
            .json();
        assert_eq!(
            (russian["title"].as_str(), russian["translated"].as_bool()),
            (Some("Национальная группа"), Some(true))
        );

        // Editing shows it; a stale version is refused; removing it works.
        let again = desk.get(&path);
        assert!(
            again.body.contains("value=\"Национальная группа\""),
            "{}",
            again.body
        );
        let stale = desk.post(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("title", "X"),
                ("body", "Y"),
            ],
        );
        assert_eq!(stale.status, 412, "{}", stale.body);
        let current = field(&again.body, "version").unwrap();
        let removed = desk.post(
            &format!("/desk/practices/{practice}/translations/ru/delete?lang=en"),
            &[("csrf", &csrf), ("version", &current)],
        );
        assert_eq!(removed.status, 303, "{}", removed.body);
        let back = app
            .get(&format!("/api/v1/practices/{practice}?lang=ru"))
            .json();
        assert_eq!(back["translated"], false);

        // Focal points do not translate at the desk; unknown languages are 404.
        let mut theirs = Browser::signed_in(app, &focal);
        assert_eq!(theirs.get(&path).status, 403);
        assert_eq!(
            desk.get(&format!("/desk/practices/{practice}/translations/de"))
                .status,
            404
        );
    });
}

#[test]
fn focal_points_send_their_own_translations_with_a_submission() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let draft = |translations: Value| {
            json!({"language": "en", "title": "Kenya", "practices": [{
                "title": "National CSIRT", "body": "The team.", "items": [11],
                "translations": translations
            }]})
        };
        let refused = app
            .post_as(
                &focal.token,
                "/api/v1/submissions",
                &draft(json!([{"language": "en", "title": "Same", "body": "Same."}])),
            )
            .problem(422);
        assert_eq!(
            error_fields(&refused),
            ["practices[0].translations[0].language"]
        );

        let created = app.post_as(
            &focal.token,
            "/api/v1/submissions",
            &draft(json!([{"language": "sw", "title": "x", "body": "y"}])),
        );
        assert_eq!(created.status, 422, "{}", created.body);
        let created = app.post_as(
            &focal.token,
            "/api/v1/submissions",
            &draft(json!([{"language": "es", "title": "CSIRT nacional", "body": "El equipo."}])),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        let submission = created.json();
        let id = submission["id"].as_str().unwrap().to_owned();
        assert_eq!(
            submission["practices"][0]["translations"],
            json!([{"language": "es", "title": "CSIRT nacional", "body": "El equipo.", "translated_by": "focal_point"}])
        );
        // The version kept says the same.
        let kept = app
            .get_as(
                &focal.token,
                &format!("/api/v1/submissions/{id}/versions/1"),
            )
            .json();
        assert_eq!(
            kept["practices"][0]["translations"][0]["language"], "es",
            "{kept}"
        );

        for (who, action) in [(&focal, "submit"), (&editor, "accept")] {
            let moved = app.post_as(
                &who.token,
                &format!("/api/v1/submissions/{id}/{action}"),
                &json!({}),
            );
            assert_eq!(moved.status, 200, "{action}: {}", moved.body);
        }
        let practice = app.first_practice(&editor.token, &id);
        let spanish = app
            .get(&format!("/api/v1/practices/{practice}?lang=es"))
            .json();
        assert_eq!(spanish["title"], "CSIRT nacional");
        assert_eq!(spanish["translated_by"], "focal_point");
        let page = app
            .call_with(
                "GET",
                &format!("/practices/{practice}?lang=es"),
                None,
                None,
                &[("accept", "text/html")],
            )
            .body;
        assert!(
            page.contains("traducción de cortesía facilitada por el contribuyente"),
            "{page}"
        );
    });
}

#[test]
fn a_focal_point_sends_a_translation_from_the_desk_form_and_keeps_it_when_editing() {
    use crate::desk::{field, Browser};
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let mut desk = Browser::signed_in(app, &focal);
        let form = desk.get("/desk/submissions/new?lang=en");
        assert!(
            form.body.contains("practices[0].translations.fr.title"),
            "{}",
            form.body
        );
        let csrf = field(&form.body, "csrf").unwrap();
        let saved = desk.post(
            "/desk/submissions?lang=en",
            &[
                ("csrf", &csrf),
                ("practices", "1"),
                ("language", "en"),
                ("title", "Kenya"),
                ("practices[0].title", "National CSIRT"),
                ("practices[0].body", "The team."),
                ("practices[0].translations.fr.title", "CSIRT national"),
                ("practices[0].translations.fr.body", "L’équipe."),
                ("action", "save"),
            ],
        );
        assert_eq!(saved.status, 303, "{}", saved.body);
        let location = saved.header("location").unwrap().to_owned();
        let id = location
            .split('/')
            .nth(3)
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let view = app
            .get_as(&focal.token, &format!("/api/v1/submissions/{id}"))
            .json();
        assert_eq!(
            view["practices"][0]["translations"][0]["title"], "CSIRT national",
            "{view}"
        );

        // The edit form shows it, and saving again keeps it.
        let edit = desk.get(&format!("/desk/submissions/{id}/edit?lang=en"));
        assert!(
            edit.body.contains("value=\"CSIRT national\""),
            "{}",
            edit.body
        );
        assert!(edit
            .body
            .contains("<details class=\"own-translations\" open>"));
    });
}
