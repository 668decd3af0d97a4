"""The verdict on a dataset before publication: both official schemas, then the coherence rules."""

from dataclasses import dataclass

from lxml import etree

from .build import build_json, build_xml, json_document
from .errors import DecpError
from .findings import Finding
from .model import Dataset
from .rules import check_rules
from .schema import json_schema_findings, xml_schema_findings
from .xmlsafe import parse_xml

__all__ = ["InvalidDatasetError", "Verdict", "build_validated", "validate_dataset"]


@dataclass(frozen=True)
class Verdict:
    """What the two schemas and the rules say about a dataset.

    :ivar json_findings: errors of the JSON form against schema 2.0.3.
    :ivar xml_findings: errors of the XML form against schema 2.0.2.
    :ivar rule_findings: coherence findings (some only advice).
    """

    json_findings: tuple[Finding, ...]
    xml_findings: tuple[Finding, ...]
    rule_findings: tuple[Finding, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.json_findings + self.xml_findings + self.rule_findings

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def advice(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.blocking)

    @property
    def ok(self) -> bool:
        """True when the dataset may be published: valid against both schemas, no blocking rule."""
        return not self.blocking


class InvalidDatasetError(DecpError):
    """A dataset refused for publication; ``verdict`` says why."""

    def __init__(self, verdict: Verdict) -> None:
        first = verdict.blocking[0] if verdict.blocking else None
        count = len(verdict.blocking)
        plural = "s" if count > 1 else ""
        super().__init__(
            f"Les données essentielles ne sont pas publiables ({count} problème{plural}) : {first}"
        )
        self.verdict = verdict


def validate_dataset(dataset: Dataset) -> Verdict:
    """Build the JSON and the XML forms, validate each against its official schema, then the rules."""
    xml_root: etree._Element = parse_xml(build_xml(dataset))
    return Verdict(
        json_findings=json_schema_findings(json_document(dataset)),
        xml_findings=xml_schema_findings(xml_root),
        rule_findings=check_rules(dataset),
    )


def build_validated(dataset: Dataset) -> tuple[bytes, bytes]:
    """The JSON and XML files of a dataset that passes :func:`validate_dataset`.

    :raises InvalidDatasetError: with the verdict, when anything blocks publication.
    """
    verdict = validate_dataset(dataset)
    if not verdict.ok:
        raise InvalidDatasetError(verdict)
    return build_json(dataset), build_xml(dataset)
