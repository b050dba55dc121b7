"""The XLIFF vocabulary shared by export and import, and validation against the OASIS schemas.

Namespaces, the versions this toolkit writes and reads, the XLIFF 2.0 state vocabulary,
and :func:`validate_xliff`, which checks a document against the schemas vendored in
``toolkit/schemas`` (the W3C ``xml.xsd`` they import is served from the vendored copy, so
validation never touches the network).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

XLIFF20_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
VERSIONS: tuple[str, ...] = ("2.0", "1.2")
"""XLIFF versions written and read."""

STATES: tuple[str, ...] = ("initial", "translated", "reviewed", "final")
"""XLIFF 2.0 segment states, in order of progress; the vocabulary used throughout."""

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
SCHEMAS = {
    "2.0": SCHEMA_DIR / "xliff_core_2.0.xsd",
    "1.2": SCHEMA_DIR / "xliff-core-1.2-strict.xsd",
}
_XML_XSD = SCHEMA_DIR / "informativeCopiesOf3rdPartySchemas" / "w3c" / "xml.xsd"


@cache
def _schema(version: str) -> Any:
    from lxml import etree

    class LocalSchemas(etree.Resolver):
        """Serve the W3C xml.xsd from the vendored copy: validation never uses the network."""

        def resolve(self, url: str, pubid: str, context: Any) -> Any:
            if url.rsplit("/", 1)[-1] == "xml.xsd":
                return self.resolve_filename(str(_XML_XSD), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalSchemas())
    return etree.XMLSchema(etree.parse(str(SCHEMAS[version]), parser))


def validate_xliff(data: bytes, version: str) -> list[str]:
    """Errors of ``data`` against the OASIS XLIFF ``version`` schema ([] when valid)."""
    from lxml import etree

    schema = _schema(version)
    document = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
