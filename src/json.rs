//! JSON read strictly. serde lets a struct arrive as an array of its
//! fields (`[null, null]` for `{from, to}`), which no client means and the
//! OpenAPI document forbids; request bodies and their nested objects are
//! read through these helpers, which take objects only. Field paths in
//! errors are kept (the map is handed on as it is).

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

struct ObjectOnly<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOnly<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

/// For `#[serde(deserialize_with = "crate::json::object")]`.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectOnly(PhantomData))
}

/// An object or `null` (with `#[serde(default)]` for absent).
pub fn optional_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    struct OptionalObject<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionalObject<T> {
        type Value = Option<T>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a JSON object or null")
        }

        fn visit_none<E>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_unit<E>(self) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
            object(deserializer).map(Some)
        }
    }

    deserializer.deserialize_option(OptionalObject(PhantomData))
}

/// An array of objects.
pub fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    struct Element<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Element<T> {
        type Value = T;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
            object(deserializer)
        }
    }

    struct Objects<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Objects<T> {
        type Value = Vec<T>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("an array of JSON objects")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(item) = seq.next_element_seed(Element(PhantomData))? {
                items.push(item);
            }
            Ok(items)
        }
    }

    deserializer.deserialize_seq(Objects(PhantomData))
}

/// A request body: an object, whatever `T` would also accept.
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        object(deserializer).map(Object)
    }
}

/// A JSON Schema `integer`, which counts `3.0` as one (serde does not).
/// Fractions and numbers beyond `i64` are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Integer(pub i64);

impl<'de> Deserialize<'de> for Integer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Whole;

        impl Visitor<'_> for Whole {
            type Value = Integer;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a whole number")
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Integer, E> {
                Ok(Integer(value))
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Integer, E> {
                i64::try_from(value)
                    .map(Integer)
                    .map_err(|_| E::custom(format!("{value} is too large")))
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Integer, E> {
                // i64::MAX as f64 rounds up to 2^63, which is out of range.
                let in_range = value >= i64::MIN as f64 && value < i64::MAX as f64;
                if value.fract() == 0.0 && in_range {
                    Ok(Integer(value as i64))
                } else {
                    Err(E::custom(format!("{value} is not a whole number")))
                }
            }
        }

        deserializer.deserialize_any(Whole)
    }
}

/// A whole number, for `#[serde(deserialize_with = "crate::json::integer")]`.
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    Integer::deserialize(deserializer).map(|i| i.0)
}

/// For `#[serde(deserialize_with = "crate::json::integers")]`.
pub fn integers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<i64>, D::Error> {
    Vec::<Integer>::deserialize(deserializer).map(|all| all.into_iter().map(|i| i.0).collect())
}

/// Whole numbers or `null` (with `#[serde(default)]` for absent).
pub fn optional_integers<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<i64>>, D::Error> {
    Option::<Vec<Integer>>::deserialize(deserializer)
        .map(|all| all.map(|all| all.into_iter().map(|i| i.0).collect()))
}

/// A whole number or `null` (with `#[serde(default)]` for absent).
pub fn optional_integer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    Option::<Integer>::deserialize(deserializer).map(|i| i.map(|i| i.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        a: Option<u8>,
        b: Option<u8>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        #[serde(default, deserialize_with = "optional_object")]
        one: Option<Inner>,
        #[serde(default, deserialize_with = "objects")]
        many: Vec<Inner>,
    }

    fn read(json: &str) -> Result<Outer, String> {
        serde_json::from_str::<Object<Outer>>(json)
            .map(|o| o.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn objects_are_read_and_arrays_in_their_place_are_refused() {
        assert_eq!(
            read(r#"{"one": {"a": 1}, "many": [{"b": 2}]}"#).unwrap(),
            Outer {
                one: Some(Inner {
                    a: Some(1),
                    b: None
                }),
                many: vec![Inner {
                    a: None,
                    b: Some(2)
                }],
            }
        );
        assert_eq!(read(r#"{"one": null}"#).unwrap().one, None);
        assert!(read(r#"[null, []]"#).is_err());
        assert!(read(r#"{"one": [1, 2]}"#).is_err());
        assert!(read(r#"{"many": [[1, 2]]}"#).is_err());
        assert!(read(r#"{"one": {"c": 1}}"#).is_err());
    }

    #[test]
    fn integers_are_whole_numbers_however_written() {
        let read = |json: &str| serde_json::from_str::<Integer>(json).map(|i| i.0).ok();
        assert_eq!(read("3"), Some(3));
        assert_eq!(read("-991.0"), Some(-991));
        assert_eq!(read("2.5e1"), Some(25));
        assert_eq!(read("2.55e1"), None);
        assert_eq!(read("2.5e2"), Some(250));
        assert_eq!(read("0.5"), None);
        assert_eq!(read("9223372036854775807"), Some(i64::MAX));
        assert_eq!(read("9223372036854775808"), None);
        assert_eq!(read("1e300"), None);
        assert_eq!(read("\"3\""), None);
        assert_eq!(read("null"), None);
    }

    #[test]
    fn errors_keep_the_path_of_the_field() {
        let mut deserializer =
            serde_json::Deserializer::from_str(r#"{"many": [{"a": 1}, {"a": "x"}]}"#);
        let error = serde_path_to_error::deserialize::<_, Object<Outer>>(&mut deserializer)
            .err()
            .expect("a type error");
        assert_eq!(error.path().to_string(), "many[1].a");
    }
}
