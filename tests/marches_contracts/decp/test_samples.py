"""Every official sample of the DECP repository is read with the right fields (one case per file)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bouquet.marches.decp import Operateur, read_decp, validate_dataset

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "decp"


def _marches_avec_modifications(ds):
    assert (len(ds.marches), len(ds.concessions)) == (2, 0)
    first = ds.marches[0]
    assert (first.id, first.acheteur_id, first.montant, first.duree_mois) == (
        "TEST2022",
        "21750001630066",
        Decimal("575000"),
        48,
    )
    assert first.date_notification == date(2024, 5, 15)
    assert first.techniques == ("Concours", "Accord-cadre")
    assert first.titulaires == (Operateur("55204599900869", "SIRET"),)
    assert (first.marche_innovant, first.attribution_avance, first.taux_avance) == (True, True, Decimal("0"))
    assert (first.origine_ue, first.id_accord_cadre) == (Decimal("0.1"), "1234567890")
    (modification,) = first.modifications
    assert (modification.id, modification.duree_mois, modification.montant) == (1, 12, Decimal("123457.87"))
    assert modification.titulaires == (Operateur("868768687576575"),)
    assert first.actes_sous_traitance[0].montant == Decimal("123456.89")
    assert first.modifications_actes_sous_traitance[0].montant == Decimal("23465.87")
    assert ds.marches[1].id == "TEST2022Bis"


def _concessions(ds):
    assert (len(ds.marches), len(ds.concessions)) == (0, 2)
    first = ds.concessions[0]
    assert (first.id, first.autorite_concedante_id) == ("0612202306122024", "12345678901250")
    assert (first.valeur_globale, first.montant_subvention_publique) == (Decimal("10.3"), Decimal("0.5"))
    assert first.nature == "Concession de travaux" and first.date_debut_execution == date(2024, 4, 1)
    assert [c.id for c in first.concessionnaires] == ["38103128500491", "38103128500574"]
    assert first.modifications == () and first.donnees_execution == ()


def _concessions_avec_modifications(ds):
    assert (len(ds.marches), len(ds.concessions)) == (0, 2)
    first = ds.concessions[0]
    (modification,) = first.modifications
    assert (modification.duree_mois, modification.valeur_globale) == (14, Decimal("25.0"))
    assert modification.date_signature_modification == date(2023, 4, 19)
    (year,) = first.donnees_execution
    assert year.depenses_investissement == Decimal("15.3")
    assert [(t.intitule_tarif, t.tarif) for t in year.tarifs] == [
        ("Intitulé du tarif", Decimal("14.29")),
        ("Intitulé du tarif2", Decimal("19.29")),
    ]


def _marches_concessions(ds):
    assert [m.id for m in ds.marches] == ["TEST2022", "TEST2022Bis"]
    assert [c.id for c in ds.concessions] == ["0612202306122024", "0612202306122023"]
    assert ds.concessions[0].autorite_concedante_id == "12345678901234"
    assert ds.marches[1].objet == "envoi pour Json test 2"


def _marche_xml(ds):
    assert (len(ds.marches), len(ds.concessions)) == (2, 0)
    first = ds.marches[0]
    assert (first.id, first.acheteur_id, first.montant) == ("TEST2022", "21750001630040", Decimal("575000"))
    assert (first.marche_innovant, first.sous_traitance_declaree) == (True, True)  # written "oui"
    assert first.considerations_sociales == ("Clause sociale", "Critère social")
    assert first.lieu_execution.code == "75000" and first.lieu_execution.type_code == "Code postal"
    assert first.actes_sous_traitance[0].date_notification == date(2024, 10, 11)
    assert first.modifications == ()


def _concession_xml(ds):
    assert (len(ds.marches), len(ds.concessions)) == (0, 2)
    first = ds.concessions[0]
    assert (first.id, first.objet, first.duree_mois) == ("0612202306122023", "Objet de la consultation", 12)
    assert first.donnees_execution[0].tarifs[0].tarif == Decimal("14.29")
    assert first.modifications == ()


def _concession_modification_xml(ds):
    assert (len(ds.marches), len(ds.concessions)) == (0, 2)
    (modification,) = ds.concessions[0].modifications
    assert modification.date_signature_modification == date(2024, 4, 19)
    assert (modification.duree_mois, modification.valeur_globale) == (14, Decimal("25.0"))


SAMPLES = {
    "json/marches_avec_modifications.json": _marches_avec_modifications,
    "json/concessions.json": _concessions,
    "json/concessions_avec_modifications.json": _concessions_avec_modifications,
    "json/marches_concessions.json": _marches_concessions,
    "xml/Marche.xml": _marche_xml,
    "xml/Contrat-concession.xml": _concession_xml,
    "xml/Contrat-concession-modification.xml": _concession_modification_xml,
}


def test_every_sample_file_has_a_case():
    on_disk = {str(p.relative_to(FIXTURES)) for p in FIXTURES.glob("*/*") if p.suffix in {".json", ".xml"}}
    assert on_disk == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_official_sample_is_read_with_the_right_fields(name):
    result = read_decp((FIXTURES / name).read_bytes())
    assert result.format == name.split("/")[0]
    assert result.schema_valid, [str(f) for f in result.schema_findings]
    assert result.skipped == ()
    SAMPLES[name](result.dataset)
    # Re-written by us in both forms, the sample still satisfies both schemas.
    verdict = validate_dataset(result.dataset)
    assert verdict.json_findings == () and verdict.xml_findings == ()
