"""The shipped schema: unchanged bytes, loaded once, offline."""

import hashlib
from importlib.resources import files

import pytest
from lxml import etree

from bouquet.actes.protocol import load_schema
from bouquet.actes.protocol.schema import SCHEMA_FILES, _PackageResolver

# sha256 of the files as published in SICTIAM/stela 84762c54 (acte-service/src/main/resources/schemas/).
UPSTREAM = {
    "actesv1_1.xsd": "099fc71ac21c38dd05010080dab19f8236438631504f6cd1a162d3e5f5bf4542",
    "siret.xsd": "837a9c085c3639cbb9afb75cb355654f35fbfe37a69e1bbc3376b3de119e8543",
    "insee-commun.xsd": "f6e438d922da412c849a1125cc406ed25ae36c76866a3b65dbd1651c9a9eb651",
}


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_the_shipped_schema_files_are_unchanged(name):
    data = (files("bouquet.actes.protocol") / "xsd" / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == UPSTREAM[name]


def test_the_schema_is_loaded_once():
    assert load_schema() is load_schema()


def test_the_resolver_serves_nothing_but_the_schema_files():
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_PackageResolver())
    document = b"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:include schemaLocation="http://example.invalid/evil.xsd"/></xsd:schema>"""
    with pytest.raises(etree.XMLSchemaParseError):
        etree.XMLSchema(etree.fromstring(document, parser))
