#!/usr/bin/env python3
"""Makes names.tsv: every entity of entities.csv named in the six UN
languages. Run at development time, when entities.csv, un_names.tsv or
the CLDR release changes; the service compiles the result in.

Sources, in order of precedence:
1. un_names.tsv, written by hand: the UN's own short names (as UNTERM and
   the Protocol list give them) wherever they differ from CLDR's in any
   language, and the organisations' names.
2. The Unicode CLDR territory names, by ISO 3166-1 alpha-3 code, for every
   other State. Fetch them from the npm registry:

     npm pack cldr-localenames-full@48.2.0 cldr-core@48.2.0
     mkdir -p cldr/names cldr/core
     tar xzf cldr-localenames-full-48.2.0.tgz -C cldr/names
     tar xzf cldr-core-48.2.0.tgz -C cldr/core
     python3 make_names.py cldr

The English name is always entities.csv's (the UN short name); a State
whose CLDR English name differs from it must be in un_names.tsv, since
CLDR's other languages then follow CLDR's form, not the UN's.
"""

import json
import sys
from pathlib import Path

LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"]
HERE = Path(__file__).resolve().parent


def reference():
    """(code, English name, type) of every entity, in file order."""
    rows = []
    for line in (HERE / "entities.csv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, name, kind = line.split(",")[:3]
        rows.append((code, name, kind))
    return rows


def un_forms():
    lines = (HERE / "un_names.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    if header[: 1 + len(LANGUAGES)] != ["code"] + LANGUAGES:
        sys.exit(f"un_names.tsv: unexpected header {header}")
    forms = {}
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        code, names = fields[0], fields[1 : 1 + len(LANGUAGES)]
        if code in forms:
            sys.exit(f"un_names.tsv line {number}: {code} twice")
        if len(names) != len(LANGUAGES) or not all(n.strip() for n in names):
            sys.exit(f"un_names.tsv line {number}: {code} needs six names")
        forms[code] = dict(zip(LANGUAGES, (n.strip() for n in names)))
    return forms


def cldr(root):
    mappings = json.loads((root / "core/package/supplemental/codeMappings.json").read_text())
    alpha2 = {
        v["_alpha3"]: k
        for k, v in mappings["supplemental"]["codeMappings"].items()
        if "_alpha3" in v
    }
    territories = {}
    for language in LANGUAGES:
        path = root / f"names/package/main/{language}/territories.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        territories[language] = data["main"][language]["localeDisplayNames"]["territories"]
    return alpha2, territories


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    alpha2, territories = cldr(Path(sys.argv[1]))
    forms = un_forms()
    known = set()
    out = ["code\t" + "\t".join(LANGUAGES)]
    for code, english, kind in reference():
        known.add(code)
        if code in forms:
            names = forms[code]
        elif kind in ("member_state", "observer_state"):
            two = alpha2[code]
            names = {language: territories[language][two] for language in LANGUAGES}
            if names["en"] != english:
                sys.exit(f"{code}: CLDR says {names['en']!r}, the UN {english!r}: add it to un_names.tsv")
        else:
            sys.exit(f"{code}: an organisation needs its names in un_names.tsv")
        if names["en"] != english:
            sys.exit(f"{code}: un_names.tsv says {names['en']!r}, entities.csv {english!r}")
        for language, name in names.items():
            if "\t" in name or "\n" in name or not name.strip():
                sys.exit(f"{code}: the {language} name is not one line of text")
        out.append(code + "\t" + "\t".join(names[language] for language in LANGUAGES))
    stray = set(forms) - known
    if stray:
        sys.exit(f"un_names.tsv names codes entities.csv does not have: {sorted(stray)}")
    (HERE / "names.tsv").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"names.tsv: {len(out) - 1} entities, {len(forms)} from un_names.tsv")


if __name__ == "__main__":
    main()
