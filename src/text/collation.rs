//! Sorting names as readers of each language expect: accents after their
//! letter in French, pinyin order in Chinese, the Arabic and Cyrillic
//! alphabets in theirs. ICU4X's collator with its compiled-in CLDR data;
//! one collator per language, made on first use.

use std::cmp::Ordering;
use std::sync::OnceLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::{locale, Locale};

use crate::domain::Language;

fn collator(language: Language) -> &'static CollatorBorrowed<'static> {
    static COLLATORS: OnceLock<Vec<CollatorBorrowed<'static>>> = OnceLock::new();
    let all = COLLATORS.get_or_init(|| {
        Language::ALL
            .into_iter()
            .map(|language| {
                let locale: Locale = match language {
                    Language::Ar => locale!("ar"),
                    Language::Zh => locale!("zh"),
                    Language::En => locale!("en"),
                    Language::Fr => locale!("fr"),
                    Language::Ru => locale!("ru"),
                    Language::Es => locale!("es"),
                };
                Collator::try_new(locale.into(), CollatorOptions::default())
                    .expect("ICU4X's compiled data holds a collation for each UN language")
            })
            .collect()
    });
    let index = Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or_default();
    &all[index]
}

/// How `a` and `b` compare in `language`'s alphabetical order.
pub fn compare(language: Language, a: &str, b: &str) -> Ordering {
    collator(language).compare(a, b)
}

/// Sorts `items` by the name `name` gives each, in `language`'s order.
pub fn sort_by_name<T>(items: &mut [T], language: Language, name: impl Fn(&T) -> &str) {
    let collator = collator(language);
    items.sort_by(|a, b| collator.compare(name(a), name(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(language: Language, names: &[&'static str]) -> Vec<&'static str> {
        let mut names = names.to_vec();
        sort_by_name(&mut names, language, |n| n);
        names
    }

    #[test]
    fn french_puts_accented_letters_with_their_base_letter() {
        assert_eq!(
            sorted(
                Language::Fr,
                &[
                    "États-Unis",
                    "Estonie",
                    "Égypte",
                    "Éthiopie",
                    "Espagne",
                    "Équateur"
                ]
            ),
            [
                "Égypte",
                "Équateur",
                "Espagne",
                "Estonie",
                "États-Unis",
                "Éthiopie"
            ]
        );
    }

    #[test]
    fn chinese_sorts_by_pinyin_not_by_code_point() {
        // a-fu-han, ba-xi, de-guo, fa-guo, ri-ben, zhong-guo
        assert_eq!(
            sorted(
                Language::Zh,
                &["中国", "日本", "阿富汗", "法国", "德国", "巴西"]
            ),
            ["阿富汗", "巴西", "德国", "法国", "日本", "中国"]
        );
    }

    #[test]
    fn arabic_and_russian_follow_their_alphabets() {
        // Alif before ba, ta, jim; the hamza on the alif does not count.
        assert_eq!(
            sorted(
                Language::Ar,
                &["الجزائر", "تونس", "أفغانستان", "البحرين", "مصر"]
            ),
            ["أفغانستان", "البحرين", "الجزائر", "تونس", "مصر"]
        );
        // Ё sorts with Е, not after Я as its code point would.
        assert_eq!(
            sorted(
                Language::Ru,
                &["Япония", "Ёлка", "Египет", "Австрия", "Жибути"]
            ),
            ["Австрия", "Египет", "Ёлка", "Жибути", "Япония"]
        );
    }

    #[test]
    fn spanish_sorts_enye_after_n() {
        assert_eq!(
            sorted(
                Language::Es,
                &["Omán", "Ñandú", "Nueva Zelandia", "Noruega"]
            ),
            ["Noruega", "Nueva Zelandia", "Ñandú", "Omán"]
        );
    }
}
