//! What the property tests of several modules share: their settings, and
//! texts built from the pieces that break a parser.

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
