//! The entities' short names in the six languages: the UN's own forms where
//! it has them, CLDR's territory names elsewhere. `names.tsv` is made at
//! development time by `make_names.py` (beside it, with its sources) and
//! compiled in. Organisations an administrator adds later have the one
//! name they were added with, in every language.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::language::Translations;
use crate::domain::Language;

pub struct Names {
    by_code: HashMap<String, Translations>,
}

impl Names {
    pub fn get(&self, code: &str) -> Option<&Translations> {
        self.by_code.get(code)
    }

    fn parse(tsv: &str) -> Result<Names, String> {
        let mut lines = tsv.lines();
        let header = ["code", "ar", "zh", "en", "fr", "ru", "es"].join("\t");
        if lines.next() != Some(header.as_str()) {
            return Err("names.tsv does not begin with its header".to_owned());
        }
        let mut by_code = HashMap::new();
        for (number, line) in lines.enumerate() {
            let fields: Vec<&str> = line.split('\t').collect();
            let [code, ar, zh, en, fr, ru, es] = fields[..] else {
                return Err(format!("names.tsv line {}: expected 7 fields", number + 2));
            };
            let names = [ar, zh, en, fr, ru, es].map(str::to_owned);
            if by_code
                .insert(code.to_owned(), Translations::from_ordered(names))
                .is_some()
            {
                return Err(format!("names.tsv line {}: {code} twice", number + 2));
            }
        }
        Ok(Names { by_code })
    }
}

pub fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        Names::parse(include_str!("names.tsv"))
            .expect("names.tsv is valid (checked by entities::names::tests)")
    })
}

/// The name of the entity `code` in `language`: the reference list's,
/// else `own`, the one name it was added with.
pub fn name_in<'a>(code: &str, own: &'a str, language: Language) -> &'a str {
    names()
        .get(code)
        .map_or(own, |translations| translations.get(language))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entities::registry;

    #[test]
    fn every_reference_entity_is_named_in_six_languages_and_in_english_as_listed() {
        for entity in registry().all() {
            let names = names()
                .get(entity.code.as_str())
                .unwrap_or_else(|| panic!("{} has no names", entity.code));
            assert_eq!(names.get(Language::En), entity.name, "{}", entity.code);
            for (language, name) in Language::ALL.into_iter().zip(names.iter()) {
                assert!(
                    !name.trim().is_empty() && name.trim() == name,
                    "{} in {language:?}: {name:?}",
                    entity.code
                );
                assert!(
                    crate::domain::text::one_line_fault(name).is_none(),
                    "{} in {language:?}: {name:?}",
                    entity.code
                );
            }
        }
        assert_eq!(names().by_code.len(), registry().all().len());
    }

    #[test]
    fn names_follow_the_un_where_it_differs_from_common_usage() {
        let name = |code: &str, language| name_in(code, "", language);
        assert_eq!(name("RUS", Language::En), "Russian Federation");
        assert_eq!(name("RUS", Language::Ru), "Российская Федерация");
        assert_eq!(name("EGY", Language::Ar), "مصر");
        assert_eq!(name("DEU", Language::Zh), "德国");
        assert_eq!(name("DZA", Language::Fr), "Algérie");
        assert_eq!(
            name("ITU", Language::Fr),
            "Union internationale des télécommunications"
        );
        assert_eq!(name("GFCE", Language::Fr), "");
    }
}
