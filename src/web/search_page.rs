//! `/`: the catalogue's search page. One form holds the words, the facet
//! filters and the order, so it works without JavaScript; results, counts
//! and pages come from the same search the API answers.

use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use maud::{html, Markup, PreEscaped};

use super::layout::{self, Reader, Section};
use crate::domain::annex::{annex, AnnexItem, SectionId};
use crate::domain::entities::names::name_in;
use crate::domain::entities::{EntityType, Region};
use crate::domain::Language;
use crate::error::AppError;
use crate::http::State;
use crate::i18n::{around, fill};
use crate::search::codes;
use crate::search::engine::{SearchResults, Sort};
use crate::search::facets::FacetField;
use crate::service::catalogue::CatalogueQuery;

const PAGE_SIZE: usize = 20;
/// Deep pages cost a search of everything before them; nobody reads page
/// 501 of a result list, they refine the search.
const MAX_PAGE: usize = 500;
/// Parameters the page hands to the catalogue search as they are.
const SEARCH_PARAMETERS: [&str; 11] = [
    "q",
    "expand",
    "section",
    "item",
    "entity",
    "entity_type",
    "region",
    "regional_group",
    "language",
    "sector",
    "sort",
];
/// Filters a link may carry that the form has no control for: kept as
/// hidden fields so that a new search does not drop them.
const HIDDEN_FILTERS: [&str; 3] = ["entity", "regional_group", "sector"];

/// The search a page address asks for.
pub struct SearchForm {
    query: CatalogueQuery,
    words: String,
    year: Option<i32>,
    page: usize,
    /// Every meaningful parameter but `page` and `lang`, in order: the
    /// base of the links that change one of them.
    pairs: Vec<(String, String)>,
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::invalid_field(field, message)
}

impl SearchForm {
    /// Reads a page address. Empty fields (an untouched form control) and
    /// parameters the page does not know (a campaign tag) are ignored;
    /// a bad value of a known one is an error the page explains.
    pub fn read(query_string: &str) -> Result<SearchForm, AppError> {
        let mut passed: Vec<(Cow<str>, Cow<str>)> = Vec::new();
        let mut pairs = Vec::new();
        let (mut words, mut year, mut page) = (String::new(), None, None);
        for (key, value) in form_urlencoded::parse(query_string.as_bytes()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key.as_ref() {
                "page" => {
                    if page.is_some() {
                        return Err(invalid("page", "may be given once"));
                    }
                    page = Some(
                        value
                            .parse::<usize>()
                            .ok()
                            .filter(|p| (1..=MAX_PAGE).contains(p))
                            .ok_or_else(|| invalid("page", "pages are numbered from 1 to 500"))?,
                    );
                    continue;
                }
                "year" => {
                    if year.is_some() {
                        return Err(invalid("year", "may be given once"));
                    }
                    year = Some(
                        value
                            .parse::<i32>()
                            .ok()
                            .filter(|y| (1000..=9999).contains(y))
                            .ok_or_else(|| invalid("year", "a year has four digits"))?,
                    );
                }
                key if SEARCH_PARAMETERS.contains(&key) => {
                    passed.push((Cow::Owned(key.to_owned()), Cow::Owned(value.to_owned())));
                    if key == "q" {
                        words = value.to_owned();
                    }
                }
                _ => continue,
            }
            pairs.push((key.into_owned(), value.to_owned()));
        }
        if let Some(year) = year {
            passed.push((Cow::Borrowed("from"), Cow::Owned(format!("{year}-01-01"))));
            passed.push((Cow::Borrowed("to"), Cow::Owned(format!("{year}-12-31"))));
        }
        let mut query = CatalogueQuery::from_pairs(passed, true)?;
        let page = page.unwrap_or(1);
        query.request.limit = PAGE_SIZE;
        query.request.offset = (page - 1) * PAGE_SIZE;
        Ok(SearchForm {
            query,
            words,
            year,
            page,
            pairs,
        })
    }

    fn has(&self, key: &str, value: &str) -> bool {
        self.pairs.iter().any(|(k, v)| k == key && v == value)
    }

    /// The pairs of this search but the given one.
    fn without(&self, key: &str, value: &str) -> Vec<(&str, &str)> {
        self.pairs
            .iter()
            .filter(|(k, v)| !(k == key && v == value))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    fn with_page(&self, page: usize) -> Vec<(String, String)> {
        let mut pairs = self.pairs.clone();
        if page > 1 {
            pairs.push(("page".to_owned(), page.to_string()));
        }
        pairs
    }
}

/// One value of a facet as the filter list shows it.
struct Choice {
    key: &'static str,
    value: String,
    label: String,
    count: u64,
}

fn counts_of(results: &SearchResults, facet: FacetField) -> &[u64] {
    results
        .facets
        .iter()
        .find(|(f, _)| *f == facet)
        .map(|(_, counts)| counts.as_slice())
        .unwrap_or(&[])
}

fn choices(reader: &Reader, results: &SearchResults, facet: FacetField) -> Vec<Choice> {
    let l = reader.labels;
    let annex = annex();
    let counts = counts_of(results, facet);
    let count = |code: usize| counts.get(code).copied().unwrap_or(0);
    match facet {
        FacetField::Section => SectionId::ALL
            .iter()
            .enumerate()
            .map(|(code, &id)| Choice {
                key: "section",
                value: id.to_string(),
                label: format!("{id}. {}", annex.section(id).title.get(reader.language)),
                count: count(code),
            })
            .collect(),
        FacetField::Item => AnnexItem::all()
            .map(|item| Choice {
                key: "item",
                value: item.to_string(),
                label: format!("{item}. {}", annex.item(item).title.get(reader.language)),
                count: count(usize::from(item.number())),
            })
            .collect(),
        FacetField::EntityType => EntityType::ALL
            .iter()
            .enumerate()
            .map(|(code, &t)| Choice {
                key: "entity_type",
                value: t.as_str().to_owned(),
                label: l.entity_type(t).to_owned(),
                count: count(code),
            })
            .collect(),
        FacetField::Region => Region::ALL
            .iter()
            .enumerate()
            .map(|(code, &r)| Choice {
                key: "region",
                value: r.as_str().to_owned(),
                label: l.region(r).to_owned(),
                count: count(code),
            })
            .collect(),
        FacetField::Language => Language::ALL
            .iter()
            .enumerate()
            .map(|(code, &language)| Choice {
                key: "language",
                value: language.code().to_owned(),
                label: l.language(language).to_owned(),
                count: count(code),
            })
            .collect(),
        FacetField::Year => {
            let mut years: Vec<Choice> = counts
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(code, &n)| {
                    let year = codes::year_of(code as u64).to_string();
                    Choice {
                        key: "year",
                        label: year.clone(),
                        value: year,
                        count: n,
                    }
                })
                .collect();
            years.reverse();
            years
        }
    }
}

fn facet_title(reader: &Reader, facet: FacetField) -> &str {
    let l = reader.labels;
    match facet {
        FacetField::Section => &l.facet_section,
        FacetField::Item => &l.facet_item,
        FacetField::EntityType => &l.facet_entity_type,
        FacetField::Region => &l.facet_region,
        FacetField::Language => &l.facet_language,
        FacetField::Year => &l.facet_year,
    }
}

fn facet_group(
    reader: &Reader,
    form: &SearchForm,
    results: &SearchResults,
    facet: FacetField,
) -> Markup {
    let shown: Vec<Choice> = choices(reader, results, facet)
        .into_iter()
        .filter(|c| c.count > 0 || form.has(c.key, &c.value))
        .collect();
    let id = format!("facet-{}", facet.name());
    if shown.is_empty() {
        return html! {};
    }
    html! {
        fieldset #(id) {
            legend { (facet_title(reader, facet)) }
            ul {
                @if facet == FacetField::Year {
                    li { label { input type="radio" name="year" value="" checked[form.year.is_none()]; span.name { (reader.labels.any_year) } } }
                    @for choice in &shown {
                        li { label {
                            input type="radio" name="year" value=(choice.value) checked[form.has("year", &choice.value)];
                            span.name { (choice.label) }
                            span.count { (reader.labels.number(choice.count)) }
                        } }
                    }
                } @else {
                    @for choice in &shown {
                        li { label {
                            input type="checkbox" name=(choice.key) value=(choice.value) checked[form.has(choice.key, &choice.value)];
                            span.name { (choice.label) }
                            span.count { (reader.labels.number(choice.count)) }
                        } }
                    }
                }
            }
        }
    }
}

/// The filters set, each with what it means to a reader, for the empty
/// state's "remove one of these".
fn active_filters(
    reader: &Reader,
    form: &SearchForm,
    results: &SearchResults,
) -> Vec<(String, String, String)> {
    let mut active = Vec::new();
    for facet in FacetField::ALL {
        for choice in choices(reader, results, facet) {
            if form.has(choice.key, &choice.value) {
                active.push((choice.key.to_owned(), choice.value.clone(), choice.label));
            }
        }
    }
    if let Some(year) = form.year {
        let year = year.to_string();
        if !active.iter().any(|(k, _, _)| k == "year") {
            active.push(("year".to_owned(), year.clone(), year));
        }
    }
    for (key, value) in &form.pairs {
        if HIDDEN_FILTERS.contains(&key.as_str()) {
            active.push((key.clone(), value.clone(), value.clone()));
        }
    }
    active
}

fn result_list(reader: &Reader, results: &SearchResults) -> Markup {
    let l = reader.labels;
    html! {
        ol.results {
            @for hit in &results.hits {
                @let row = &hit.row;
                @let language = hit.translation.unwrap_or_else(|| row.language.parse::<Language>().unwrap_or_default());
                @let direction = if language.is_right_to_left() { "rtl" } else { "ltr" };
                li.result {
                    article aria-labelledby=(format!("r-{}", row.id)) {
                        h3 #(format!("r-{}", row.id)) lang=(language.code()) dir=(direction) {
                            a href=(reader.link(&format!("/practices/{}", row.id))) { (hit.title()) }
                        }
                        p lang=(language.code()) dir=(direction) { (PreEscaped(&hit.snippet)) }
                        ul.meta {
                            li { (name_in(&row.entity, &row.entity_name, reader.language)) }
                            @if let Ok(entity_type) = row.entity_type.parse::<EntityType>() {
                                li { (l.entity_type(entity_type)) }
                            }
                            li { (l.language(row.language.parse::<Language>().unwrap_or_default())) }
                            @if hit.translation.is_some() {
                                li.translated { (l.result_translated) }
                            }
                            @let (before, after) = around(&l.accepted_on, "date");
                            li { (before) time dir="ltr" datetime=(row.accepted_at) { (row.accepted_at.get(..10).unwrap_or(&row.accepted_at)) } (after) }
                        }
                        ul.tags aria-label=(l.practice_items) {
                            @for item in row.items.iter().filter_map(|&n| AnnexItem::new(n)) {
                                li title=(annex().item(item).title.get(reader.language)) {
                                    (fill(&l.item_label, &[("item", &item.to_string())]))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn pagination(reader: &Reader, form: &SearchForm, total: usize) -> Markup {
    let l = reader.labels;
    let pages = total.div_ceil(PAGE_SIZE).clamp(1, MAX_PAGE);
    let link = |page: usize| {
        let pairs = form.with_page(page);
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        reader.link_with("/", &pairs)
    };
    html! {
        @if pages > 1 {
            nav.pagination aria-label=(l.pagination_label) {
                span {
                    @if form.page > 1 { a href=(link(form.page - 1)) rel="prev" { "← " (l.previous_page) } }
                }
                span aria-current="page" {
                    (fill(&l.page_of, &[("page", &l.number(form.page as u64)), ("pages", &l.number(pages as u64))]))
                }
                span {
                    @if form.page < pages { a href=(link(form.page + 1)) rel="next" { (l.next_page) " →" } }
                }
            }
        }
    }
}

fn empty_state(reader: &Reader, form: &SearchForm, results: &SearchResults) -> Markup {
    let l = reader.labels;
    let active = active_filters(reader, form, results);
    html! {
        section.empty aria-labelledby="empty-heading" {
            h3 #empty-heading { (l.no_results_title) }
            @if !form.words.is_empty() { p { (l.no_results_words) } }
            @if !active.is_empty() {
                p { (l.no_results_filters) }
                ul {
                    @for (key, value, label) in &active {
                        li { a href=(reader.link_with("/", &form.without(key, value))) {
                            (fill(&l.remove_filter, &[("filter", label)]))
                        } }
                    }
                }
            }
        }
    }
}

/// The whole search page for a search and its results.
/// The concepts the words were expanded to, in the reader's language,
/// with the search for the words alone.
fn also_searched(reader: &Reader, form: &SearchForm, results: &SearchResults) -> Markup {
    let l = reader.labels;
    let thesaurus = crate::domain::thesaurus::thesaurus();
    let names: Vec<&str> = results
        .expanded
        .iter()
        .map(|id| thesaurus.concept(*id).pref(reader.language))
        .collect();
    let mut exact: Vec<(&str, &str)> = form
        .pairs
        .iter()
        .filter(|(k, _)| k != "expand" && k != "page")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    exact.push(("expand", "false"));
    html! {
        @if !names.is_empty() {
            p.expanded {
                (fill(&l.also_searched, &[("concepts", &names.join(", "))])) " "
                a href=(reader.link_with("/", &exact)) { (l.exact_search) }
            }
        }
    }
}

pub fn render(reader: &Reader, form: &SearchForm, results: &SearchResults) -> Markup {
    let l = reader.labels;
    let only_words: Vec<(&str, &str)> = form
        .pairs
        .iter()
        .filter(|(k, _)| k == "q")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let sort = form.query.request.sort;
    let main = html! {
        h1 { (l.search_heading) }
        form.search method="get" action="/" role="search" {
            input type="hidden" name="lang" value=(reader.language.code());
            @for (key, value) in form.pairs.iter().filter(|(k, _)| HIDDEN_FILTERS.contains(&k.as_str())) {
                input type="hidden" name=(key) value=(value);
            }
            div.search-form {
                div.field {
                    label for="q" { (l.search_label) }
                    input #q type="search" name="q" value=(form.words) placeholder=(l.search_placeholder) aria-describedby="q-hint";
                }
                button type="submit" { (l.search_button) }
            }
            p.hint #q-hint { (l.search_hint) }
            div.layout {
                aside.filters aria-labelledby="filters-heading" {
                    h2 #filters-heading { (l.filters_heading) }
                    @for facet in FacetField::ALL { (facet_group(reader, form, results, facet)) }
                    div.actions {
                        button type="submit" { (l.apply_filters) }
                        a href=(reader.link_with("/", &only_words)) { (l.clear_filters) }
                    }
                }
                section aria-labelledby="results-heading" {
                    div.results-head {
                        h2 #results-heading { (l.results_heading) }
                        p.total #total { (fill(&l.results_count, &[("count", &l.number(results.total as u64))])) }
                        (also_searched(reader, form, results))
                        div.sort {
                            label for="sort" { (l.sort_label) }
                            select #sort name="sort" {
                                option value="relevance" selected[sort == Sort::Relevance] { (l.sort_relevance) }
                                option value="newest" selected[sort == Sort::Newest] { (l.sort_newest) }
                            }
                            button.secondary type="submit" { (l.sort_button) }
                        }
                    }
                    @if results.total == 0 {
                        (empty_state(reader, form, results))
                    } @else {
                        (result_list(reader, results))
                        (pagination(reader, form, results.total))
                    }
                }
            }
        }
    };
    layout::page(reader, Section::Search, &l.site_name, main)
}

/// `GET /`.
pub async fn show(state: State, request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let mut form = match SearchForm::read(request.query_string()) {
        Ok(form) => form,
        Err(error) => return super::error_page(&reader, error),
    };
    // The page's language is the reader's: practices in it rank first.
    form.query.request.language = Some(reader.language);
    let searched = state
        .search
        .run(move |index| {
            index
                .search(&form.query.request)
                .map(|results| (form, results))
        })
        .await;
    let (form, results) = match searched {
        Ok(searched) => searched,
        Err(error) => return super::error_page(&reader, error),
    };
    layout::respond(&reader, StatusCode::OK, render(&reader, &form, &results))
}
