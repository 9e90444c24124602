//! The index's fields. Each practice's title and body go into the fields
//! of its own language, analyzed the way that language needs; a query runs
//! against every language's fields. What a result shows is stored, so a
//! search never reads the database.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};

use crate::domain::Language;
use crate::text::analyzers;

/// Bumped whenever the fields or the analyzers change: an index built by
/// another version is rebuilt from the database at start.
/// 3: bodies are indexed as plain text, not Markdown.
/// 4: the entity is a fast column (coverage).
/// 5: each practice's main item (recommendations for self-assessments).
/// 6: the Arabic article is taken off before stemming.
/// 7: the thesaurus's concepts each practice names.
/// 8: Russian nouns in -пись stem as their other cases do.
/// 9: the concepts one level broader than those named.
/// 10: courtesy translations, in their languages' fields.
pub const SCHEMA_VERSION: u32 = 10;

/// Between a stored translation's language code and its text.
pub const TRANSLATION_SEPARATOR: char = '\u{1f}';

#[derive(Clone, Copy, Debug)]
pub struct LanguageFields {
    pub title: Field,
    pub body: Field,
}

#[derive(Clone, Debug)]
pub struct Fields {
    pub id: Field,
    /// The result row as JSON (everything but the snippet).
    pub row: Field,
    /// The body as written, for snippets.
    pub body_text: Field,
    /// Each courtesy translation's body as plain text, for snippets:
    /// `<language code>` + [`TRANSLATION_SEPARATOR`] + the text.
    pub translation_text: Field,
    /// The languages the practice has a courtesy translation into (as
    /// `codes::language`): a reader in one of them reads it in theirs.
    pub translated_into: Field,
    pub entity: Field,
    pub entity_type: Field,
    pub region: Field,
    pub regional_group: Field,
    pub language: Field,
    pub item: Field,
    /// The one item the practice is mainly about (`Practice::main_item`).
    pub main_item: Field,
    pub section: Field,
    pub sector: Field,
    pub year: Field,
    pub accepted_at: Field,
    /// Every facet value of the document in one number (`codes::pack`).
    pub facet_pack: Field,
    /// Title and body of every language, folded but not stemmed: what
    /// `prefix*` queries match, since a stem may be shorter than a prefix
    /// (`accession` stems to `access`, so `accessi*` would miss it).
    pub words: Field,
    /// The thesaurus concepts the practice names (`text::concepts`), once
    /// for each mention: a concept is searched for here, one term for all
    /// its labels in six languages.
    pub concept: Field,
    /// The concepts one level broader than those it names, once for each
    /// mention: a search for cyber exercises finds a tabletop exercise.
    pub concept_within: Field,
    texts: Vec<(Language, LanguageFields)>,
}

impl Fields {
    pub fn text(&self, language: Language) -> LanguageFields {
        self.texts
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, fields)| *fields)
            .expect("the schema has fields for every language")
    }

    pub fn texts(&self) -> impl Iterator<Item = (Language, LanguageFields)> + '_ {
        self.texts.iter().copied()
    }
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Filters only: facets are counted from `facet_pack`.
    let facet = NumericOptions::default().set_indexed();
    let concept_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let mut texts = Vec::new();
    for language in Language::ALL {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(&analyzers::name(language))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let title = builder.add_text_field(&format!("title_{}", language.code()), options.clone());
        let body = builder.add_text_field(&format!("body_{}", language.code()), options);
        texts.push((language, LanguageFields { title, body }));
    }
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        row: builder.add_text_field("row", STORED),
        body_text: builder.add_text_field("body_text", STORED),
        translation_text: builder.add_text_field("translation_text", STORED),
        translated_into: builder.add_u64_field("translated_into", INDEXED),
        // Fast too: coverage counts practices per entity from the column.
        entity: builder.add_text_field("entity", STRING | FAST),
        entity_type: builder.add_u64_field("entity_type", facet.clone()),
        region: builder.add_u64_field("region", facet.clone()),
        regional_group: builder.add_u64_field("regional_group", facet.clone()),
        language: builder.add_u64_field("language", facet.clone()),
        item: builder.add_u64_field("item", facet.clone()),
        main_item: builder.add_u64_field("main_item", facet.clone()),
        section: builder.add_u64_field("section", facet.clone()),
        sector: builder.add_u64_field("sector", facet.clone()),
        year: builder.add_u64_field("year", facet),
        accepted_at: builder.add_i64_field("accepted_at", INDEXED | FAST),
        facet_pack: builder.add_u64_field(super::facets::FACET_PACK, FAST),
        words: builder.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzers::PREFIX)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        concept: builder.add_text_field("concept", concept_options.clone()),
        concept_within: builder.add_text_field("concept_within", concept_options),
        texts,
    };
    (builder.build(), fields)
}
