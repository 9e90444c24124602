"""Harvests a Compendium's /oai with Sickle and prints what it collected.

Usage: python3 harvest.py BASE_URL

Prints one JSON object: Identify's fields, every record of a full
ListRecords (deleted ones included) with the number of resumption tokens
followed, the identifiers of the set `section:E` and of ListIdentifiers
over POST, the sets, one GetRecord, and the errors Sickle raised for a
harvest that selects nothing and for an unknown identifier.
"""

import json
import sys

from sickle import Sickle
from sickle import oaiexceptions

DC = "{http://purl.org/dc/elements/1.1/}"
DC_ELEMENTS = {
    "title", "creator", "subject", "description", "publisher", "contributor",
    "date", "type", "format", "identifier", "source", "language", "relation",
    "coverage", "rights",
}


def dublin_core_is_simple(record):
    """Every element of the record's oai_dc is one of the fifteen."""
    metadata = record.xml.find(".//{http://www.openarchives.org/OAI/2.0/}metadata")
    dc = metadata[0]
    return dc.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc" and all(
        child.tag.startswith(DC) and child.tag[len(DC):] in DC_ELEMENTS for child in dc
    )


def main(base):
    sickle = Sickle(base, max_retries=0)
    identify = sickle.Identify()
    out = {
        "identify": {
            name: getattr(identify, name)
            for name in ("repositoryName", "baseURL", "protocolVersion", "deletedRecord",
                         "granularity", "earliestDatestamp", "adminEmail")
        },
        "sets": [s.setSpec for s in sickle.ListSets()],
        "formats": [f.metadataPrefix for f in sickle.ListMetadataFormats()],
    }

    records = sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False)
    harvested, tokens = [], set()
    for record in records:
        token = records.resumption_token
        if token is not None and token.token:
            tokens.add(token.token)
        entry = {
            "identifier": record.header.identifier,
            "datestamp": record.header.datestamp,
            "deleted": record.deleted,
            "sets": record.header.setSpecs,
        }
        if not record.deleted:
            entry["metadata"] = record.metadata
            entry["simple_dc"] = dublin_core_is_simple(record)
        harvested.append(entry)
    out["records"] = harvested
    out["tokens_followed"] = len(tokens)

    out["section_E"] = [
        h.identifier
        for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="section:E",
                                        ignore_deleted=False)
    ]
    by_post = Sickle(base, http_method="POST", max_retries=0)
    out["by_post"] = [
        h.identifier for h in by_post.ListIdentifiers(metadataPrefix="oai_dc",
                                                      ignore_deleted=False)
    ]
    first = next(r for r in harvested if not r["deleted"])
    got = sickle.GetRecord(identifier=first["identifier"], metadataPrefix="oai_dc")
    out["get_record"] = {"identifier": got.header.identifier, "metadata": got.metadata}

    errors = {}
    try:
        list(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
    except oaiexceptions.NoRecordsMatch:
        errors["future"] = "noRecordsMatch"
    try:
        sickle.GetRecord(identifier="urn:uuid:nothing", metadataPrefix="oai_dc")
    except oaiexceptions.IdDoesNotExist:
        errors["unknown"] = "idDoesNotExist"
    out["errors"] = errors
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
