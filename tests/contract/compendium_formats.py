"""Schemathesis hooks: how to make values of the custom string formats
that Compendium's OpenAPI document declares. Each strategy makes exactly
the strings of the pattern the same schema carries.

Schemathesis builds header values from letters and digits, and cannot
satisfy a header pattern that needs other characters: without the
`entity-tags` strategy, it would send `If-Match: 0` as if it were valid.
"""

from pathlib import Path

import schemathesis
from hypothesis import strategies as st

# `etagc` of RFC 9110 that the pattern admits: visible ASCII but `"`.
_ETAG_CHARS = [chr(c) for c in range(0x21, 0x7F) if c != 0x22]

_TAG = st.builds(
    lambda weak, text: ("W/" if weak else "") + '"' + text + '"',
    st.booleans(),
    st.text(alphabet=_ETAG_CHARS, max_size=24),
)

# `*`, or entity tags separated by a comma and spaces.
schemathesis.openapi.format(
    "entity-tags",
    st.one_of(
        st.just("*"),
        st.just('"v1"'),
        st.lists(_TAG, min_size=1, max_size=3).map(", ".join),
    ),
)

# A code of the reference list, as a submission's or an account's entity
# must be (an unknown one is a 422 by rule, not by shape).
_ENTITIES = Path(__file__).resolve().parents[2] / "src" / "domain" / "entities" / "entities.csv"
_CODES = sorted(
    line.split(",", 1)[0]
    for line in _ENTITIES.read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)
schemathesis.openapi.format("entity-code", st.sampled_from(_CODES))
