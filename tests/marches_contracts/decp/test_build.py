"""Our output validates against both official schemas, modifications included, and reads back."""

import json
from decimal import Decimal

from lxml import etree

from bouquet.marches.decp import (
    Dataset,
    build_json,
    build_validated,
    build_xml,
    read_decp,
    validate_dataset,
)
from bouquet.marches.decp.schema import json_schema_findings, xml_schema_findings

from .samples import dataset, marche


def test_the_json_validates_against_schema_2_0_3_with_its_modifications():
    document = json.loads(build_json(dataset()))
    assert json_schema_findings(document) == ()
    record = document["marches"]["marche"][0]
    assert record["acheteur"] == {"id": "21210001600014"}
    assert record["montant"] == 148750.4
    assert record["titulaires"] == [{"titulaire": {"id": "73282932000074", "typeIdentifiant": "SIRET"}}]
    assert [m["modification"]["id"] for m in record["modifications"]] == [1, 2]
    assert record["modifications"][0]["modification"]["montant"] == 161200
    assert record["modifications"][1]["modification"]["titulaires"][0]["titulaire"]["id"] == "55204599900869"
    assert "origineUE" not in record  # optional and empty: left out, never null
    assert document["marches"]["contrat-concession"][0]["modifications"][0]["modification"]["dureeMois"] == 72


def test_the_xml_validates_against_schema_2_0_2_with_its_modifications():
    data = build_xml(dataset())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(data)
    assert xml_schema_findings(root) == ()
    assert root.findtext("marche/montant") == "148750.40"
    assert root.findtext("marche/marcheInnovant") == "false"
    assert root.findtext("marche/modifications/modification[2]/titulaires/titulaire/id") == "55204599900869"
    assert root.findtext("marche/techniques/technique") == "Sans objet"
    assert root.findtext("contrat-concession/donneesExecution/donneesAnnuelles/tarifs/tarif/tarif") == "14.5"


def test_a_valid_dataset_passes_both_schemas_and_the_rules():
    verdict = validate_dataset(dataset())
    assert verdict.ok, [str(f) for f in verdict.findings]
    assert verdict.findings == ()


def test_what_is_written_reads_back_identically_in_both_forms():
    original = dataset()
    for data in (build_json(original), build_xml(original)):
        result = read_decp(data)
        assert result.schema_valid
        assert result.dataset == original


def test_build_validated_gives_both_files():
    json_bytes, xml_bytes = build_validated(dataset())
    assert json.loads(json_bytes)["marches"]["marche"][0]["id"] == "2026C00012"
    assert b"<id>2026C00012</id>" in xml_bytes


def test_whole_amounts_are_written_as_integers_and_accents_kept():
    data = build_json(Dataset(marches=(marche(montant=Decimal("575000.00")),)))
    assert b'"montant": 575000,' in data
    assert "Réfection".encode() in data
