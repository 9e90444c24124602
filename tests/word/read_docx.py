"""Opens a .docx with python-docx and prints what Word would show, as JSON.

Usage: python3 read_docx.py FILE

Prints one object: every paragraph of the body (its style's name, its text,
whether it runs right to left), the first section's page size in
millimetres, whether its footer holds a PAGE field, and whether the body
holds a TOC field.
"""

import json
import sys

import docx
from docx.oxml.ns import qn


def main(path):
    document = docx.Document(path)
    paragraphs = [
        {
            "style": p.style.name,
            "text": p.text,
            "bidi": p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None,
        }
        for p in document.paragraphs
    ]
    section = document.sections[0]
    footer_xml = section.footer._element.xml
    body_xml = document.element.body.xml
    json.dump(
        {
            "paragraphs": paragraphs,
            "page_mm": [round(section.page_width.mm), round(section.page_height.mm)],
            "page_number_field": "PAGE" in footer_xml,
            "toc_field": "TOC \\o" in body_xml,
        },
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    main(sys.argv[1])
