"""Invalid data is refused, with French messages that say where and why."""

from datetime import date
from decimal import Decimal

import pytest

from bouquet.marches.decp import (
    Dataset,
    InvalidDatasetError,
    LieuExecution,
    ModificationMarche,
    Operateur,
    build_validated,
    validate_dataset,
)

from .samples import marche


def _verdict(**changes):
    return validate_dataset(Dataset(marches=(marche(**changes),)))


def test_an_amount_below_one_euro_is_refused_by_both_schemas():
    verdict = _verdict(montant=Decimal("0"))
    assert not verdict.ok
    (json_error,) = verdict.json_findings
    assert json_error.where == "marché n° 1 (2026C00012) › montant"
    assert "trop petit : le minimum est 1" in json_error.message
    (xml_error,) = verdict.xml_findings
    assert "<montant>" in xml_error.message and "le minimum est 1" in xml_error.message
    assert "ligne" in xml_error.where


def test_a_buyer_siret_of_the_wrong_length_is_refused():
    verdict = _verdict(acheteur_id="2121000160001")
    messages = [f.message for f in verdict.blocking]
    assert any("un SIRET de 14 chiffres" in m for m in messages)
    assert any(f.source == "xml" for f in verdict.blocking)


def test_a_value_outside_the_enumeration_lists_the_allowed_ones():
    verdict = _verdict(procedure="Appel d'offre ouvert")
    message = verdict.json_findings[0].message
    assert "« Appel d'offre ouvert » n'est pas une valeur permise" in message
    assert "Appel d'offres ouvert" in message


def test_a_missing_holder_is_refused():
    verdict = _verdict(titulaires=())
    assert any("liste ne peut pas être vide" in f.message for f in verdict.json_findings)
    assert verdict.xml_findings  # <titulaires> without <titulaire>


def test_a_bad_cpv_code_is_explained():
    verdict = _verdict(code_cpv="4526121")
    assert "code CPV de 8 chiffres" in verdict.json_findings[0].message


def test_an_invalid_siret_check_digit_is_caught_by_the_rules():
    verdict = _verdict(titulaires=(Operateur("73282932000075"),))
    assert verdict.json_findings == () and verdict.xml_findings == ()
    (finding,) = verdict.rule_findings
    assert finding.where == "marché n° 1 (2026C00012) › titulaires n° 1"
    assert "n'est pas un SIRET valide" in finding.message


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"attribution_avance": False}, "aucune avance n'est attribuée"),
        ({"origine_ue": Decimal("0.2"), "origine_france": Decimal("0.5")}, "part de produits français"),
        ({"date_publication_donnees": date(2026, 3, 1)}, "précède la date de notification"),
        ({"techniques": ("Sans objet", "Accord-cadre")}, "ne peut pas être combiné"),
        ({"objet": "   "}, "l'objet du marché est vide"),
        (
            {
                "modifications": (
                    ModificationMarche(2, date(2026, 6, 1), date(2026, 6, 2), montant=Decimal("150000")),
                )
            },
            "doivent se suivre à partir de 1",
        ),
        (
            {"modifications": (ModificationMarche(1, date(2026, 1, 1), date(2026, 1, 2), duree_mois=9),)},
            "précède la date de notification du marché",
        ),
    ],
)
def test_coherence_rules_block_publication(changes, expected):
    verdict = _verdict(**changes)
    assert not verdict.ok
    assert any(expected in f.message for f in verdict.blocking), [str(f) for f in verdict.findings]


def test_an_identifier_with_spaces_is_only_advice_but_a_long_one_is_refused():
    advice = _verdict(id="2026 C12")
    assert advice.ok and "espace" in advice.advice[0].message
    refused = _verdict(id="2026-C-000000012-LOT2")
    assert not refused.ok
    assert any("16" in f.message for f in refused.blocking)


def test_build_validated_refuses_with_the_first_problem_in_french():
    with pytest.raises(InvalidDatasetError) as caught:
        build_validated(
            Dataset(marches=(marche(duree_mois=0, lieu_execution=LieuExecution("", "Code commune")),))
        )
    assert str(caught.value).startswith("Les données essentielles ne sont pas publiables (")
    assert caught.value.verdict.blocking


def test_an_empty_dataset_is_schema_valid_but_not_publishable():
    verdict = validate_dataset(Dataset())  # an operator without contracts still serves a valid file
    assert (verdict.json_findings, verdict.xml_findings) == ((), ())
    assert "aucun marché ni contrat de concession" in verdict.rule_findings[0].message
    assert not verdict.ok


def test_a_json_file_without_any_record_is_explained():
    from bouquet.marches.decp.schema import json_schema_findings

    (finding,) = json_schema_findings({"marches": {}})
    assert "au moins un marché ou un contrat de concession" in finding.message
