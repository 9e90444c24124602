//! What the tests of several modules share: the property tests' settings,
//! texts built from the pieces that break a parser, and a reader of the
//! character classes the OpenAPI document publishes.

use proptest::prelude::*;

/// Shrunk failures are reported in the test output; no files are written
/// beside the sources.
pub fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Texts of fewer than `most` pieces, in any order, each piece any number
/// of times.
pub fn texts_of(pieces: &'static [&'static str], most: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..most).prop_map(|v| v.concat())
}

/// The ranges of an ECMA-262 character class body (`\t`, `\n`, `\f`,
/// `\r`, `\uXXXX` and literal characters, `a-b` for a range), so that a
/// test can check a published pattern against the rule it describes.
pub fn class_ranges(class: &str) -> Vec<(char, char)> {
    let mut chars = Vec::new();
    let mut rest = class;
    while !rest.is_empty() {
        let (c, after) = match rest.strip_prefix('\\') {
            Some(escape) => match escape.chars().next() {
                Some('t') => ('\t', &escape[1..]),
                Some('n') => ('\n', &escape[1..]),
                Some('f') => ('\u{c}', &escape[1..]),
                Some('r') => ('\r', &escape[1..]),
                Some('u') => {
                    let code = u32::from_str_radix(&escape[1..5], 16).expect("four hex digits");
                    (char::from_u32(code).expect("a character"), &escape[5..])
                }
                other => panic!("unexpected escape {other:?}"),
            },
            None => {
                let c = rest.chars().next().expect("not empty");
                (c, &rest[c.len_utf8()..])
            }
        };
        chars.push(c);
        rest = after;
    }
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars.get(i + 1) == Some(&'-') && i + 2 < chars.len() {
            ranges.push((chars[i], chars[i + 2]));
            i += 3;
        } else {
            ranges.push((chars[i], chars[i]));
            i += 1;
        }
    }
    ranges
}
