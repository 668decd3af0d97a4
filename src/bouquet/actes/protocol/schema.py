"""The @ctes schema (``actesv1_1.xsd``) shipped in the package, loaded once per process, offline."""

import threading
from functools import lru_cache
from importlib.resources import files
from typing import Any

from lxml import etree

from .errors import SchemaValidationError

__all__ = ["SCHEMA_FILES", "load_schema", "schema_errors", "assert_valid"]

#: The only files the schema may load: the main schema and what it imports/includes.
SCHEMA_FILES = ("actesv1_1.xsd", "siret.xsd", "insee-commun.xsd")

# lxml's XMLSchema objects may be shared between threads for validation, but error logs are per
# call; a lock keeps validate() + error_log reading consistent.
_LOCK = threading.Lock()


class _PackageResolver(etree.Resolver):
    """Resolves the three schema files from the package; every other URL gets an empty document."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:  # type: ignore[override]
        # (lxml-stubs predate the ``context`` argument that lxml passes.)
        resolver: Any = self
        name = system_url.rsplit("/", 1)[-1]
        if name in SCHEMA_FILES:
            return resolver.resolve_string(_read(name), context, base_url=name)
        return resolver.resolve_string(b"", context)


def _read(name: str) -> bytes:
    return (files(__package__) / "xsd" / name).read_bytes()


@lru_cache(maxsize=1)
def load_schema() -> etree.XMLSchema:
    """The compiled ``actesv1_1.xsd`` (cached; never touches the network or other files)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_PackageResolver())
    document = etree.fromstring(_read("actesv1_1.xsd"), parser, base_url="actesv1_1.xsd")
    return etree.XMLSchema(etree.ElementTree(document))


def schema_errors(root: etree._Element) -> tuple[str, ...]:
    """Schema errors of a message, ``"ligne N : message"`` each; empty when valid."""
    schema = load_schema()
    with _LOCK:
        if schema.validate(root):
            return ()
        log: Any = schema.error_log
        return tuple(f"ligne {error.line} : {error.message}" for error in log)


def assert_valid(root: etree._Element) -> None:
    """Raise :class:`SchemaValidationError` when ``root`` does not validate against the schema."""
    errors = schema_errors(root)
    if errors:
        raise SchemaValidationError(
            f"Le message {etree.QName(root).localname} n'est pas conforme au schéma @ctes : {errors[0]}",
            errors,
        )
