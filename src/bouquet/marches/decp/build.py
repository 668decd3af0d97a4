"""Write a :class:`Dataset` as the JSON of schema 2.0.3 and the XML of schema 2.0.2."""

import json

from lxml import etree

from .mapping import to_json, to_xml
from .model import Dataset

__all__ = ["build_json", "build_xml", "json_document", "xml_tree"]


def json_document(dataset: Dataset) -> dict:
    """``{"marches": {"marche": [...], "contrat-concession": [...]}}``.

    An empty list is left out, except ``marche`` when there is nothing at all: an empty dataset
    (an operator with no published contract yet) is then still valid.
    """
    container: dict[str, list] = {}
    if dataset.marches or not dataset.concessions:
        container["marche"] = [to_json(m) for m in dataset.marches]
    if dataset.concessions:
        container["contrat-concession"] = [to_json(c) for c in dataset.concessions]
    return {"marches": container}


def build_json(dataset: Dataset) -> bytes:
    """The JSON file, UTF-8, indented, accents kept as they are."""
    return json.dumps(json_document(dataset), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def xml_tree(dataset: Dataset) -> etree._Element:
    """The ``<marches>`` element: marchés first, then contrats de concession."""
    root = etree.Element("marches")
    for marche in dataset.marches:
        to_xml(root, "marche", marche)
    for concession in dataset.concessions:
        to_xml(root, "contrat-concession", concession)
    return root


def build_xml(dataset: Dataset) -> bytes:
    """The XML file, UTF-8 with its declaration, indented."""
    root = xml_tree(dataset)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
