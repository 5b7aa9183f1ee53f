import json

import pytest
from pdfgen import two_column_pdf

import docrecon
from docrecon.model.serialize import document_from_dict, document_to_dict


def test_round_trip_keeps_every_block() -> None:
    doc = docrecon.parse(two_column_pdf())
    data = json.loads(json.dumps(document_to_dict(doc)))
    assert data["schema_version"] == "1.0"
    again = document_from_dict(data)
    assert document_to_dict(again) == data
    b = data["pages"][0]["blocks"][0]
    assert set(b) >= {"id", "type", "text", "bbox", "order", "layer", "level", "origin", "confidence"}


def test_unknown_major_version_refused() -> None:
    data = document_to_dict(docrecon.parse(two_column_pdf(), docrecon.ParseOptions(page_end=1)))
    data["schema_version"] = "2.0"
    with pytest.raises(ValueError, match="schema version"):
        document_from_dict(data)
