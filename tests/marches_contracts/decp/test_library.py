"""The pure parts: no Django, the shipped schemas, the dated threshold, the profile declaration."""

import csv
import hashlib
import io
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from bouquet.marches.decp import DecpError, ProfileDeclaration, build_dpa_csv, decp_threshold, must_publish
from bouquet.marches.decp import constants as c
from bouquet.marches.decp.schema import JSON_SCHEMA_FILE, XSD_FILE, json_schema, read_schema_file


def test_the_library_does_not_import_django_nor_other_apps():
    code = (
        "import sys, bouquet.marches.decp\n"
        "ours = ('bouquet', 'bouquet.marches', 'bouquet.xmlsafe')\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('bouquet') and m not in ours and not m.startswith('bouquet.marches.decp')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_shipped_schemas_are_the_official_ones():
    assert hashlib.sha256(read_schema_file(JSON_SCHEMA_FILE)).hexdigest() == (
        "3210e4cbe965be416f4ba3d8ab3983c64be48a800dc8d594b730341f3de8765a"
    )
    assert hashlib.sha256(read_schema_file(XSD_FILE)).hexdigest() == (
        "08b6b327c919c15aa7c4ec791545cbe14992b43f06c42eca0a29016a225f4666"
    )


@pytest.mark.parametrize(
    ("values", "pointer"),
    [
        (c.NATURES_MARCHE, "marche/properties/nature/enum"),
        (c.PROCEDURES_MARCHE, "marche/properties/procedure/enum"),
        (c.CCAG, "marche/properties/ccag/enum"),
        (c.TECHNIQUES, "marche/definitions/techniqueArray/items/enum"),
        (c.MODALITES_EXECUTION, "marche/definitions/modaliteExecutionArray/items/enum"),
        (c.TYPES_PRIX, "marche/definitions/typePrixArray/items/enum"),
        (c.CONSIDERATIONS_SOCIALES_MARCHE, "marche/definitions/considerationSocialeArray/items/enum"),
        (c.TYPES_IDENTIFIANT, "marche/definitions/Titulaire/properties/typeIdentifiant/enum"),
        (c.NATURES_CONCESSION, "contrat-concession/properties/nature/enum"),
        (c.PROCEDURES_CONCESSION, "contrat-concession/properties/procedure/enum"),
    ],
)
def test_our_enumerations_match_the_schema(values, pointer):
    node = json_schema()["definitions"]
    for part in pointer.split("/"):
        node = node[part]
    assert tuple(node) == values


def test_the_publication_threshold_is_40000_euros_since_2024():
    assert decp_threshold(date(2026, 6, 1)) == Decimal("40000")
    assert decp_threshold(date(2023, 12, 31)) is None
    assert must_publish(Decimal("40000"), date(2026, 1, 5))
    assert not must_publish(Decimal("39999.99"), date(2026, 1, 5))
    assert not must_publish(Decimal("90000"), date(2023, 6, 1))


def test_the_profile_declaration_has_the_national_columns():
    data = build_dpa_csv(
        [
            ProfileDeclaration(
                "21210001600014",
                "https://marches.example.test/acheteur/212100016",
                "Mairie de Beaune,\n 1 rue de l'Hôtel de Ville, 21200 Beaune",
            ),
            ProfileDeclaration("20001234500017", "https://marches.example.test/acheteur/200012345", "SIVOM"),
        ]
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["siretAcheteur", "urlProfilAcheteur", "urlDCAT", "coordonnees"]
    assert rows[1][0] == "20001234500017"  # sorted by SIRET
    assert rows[2] == [
        "21210001600014",
        "https://marches.example.test/acheteur/212100016",
        "",
        "Mairie de Beaune, 1 rue de l'Hôtel de Ville, 21200 Beaune",
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ProfileDeclaration("2121000160001", "https://x.test/", "Mairie"), "14 chiffres"),
        (ProfileDeclaration("21210001600014", "x.test/profil", "Mairie"), "http:// ou https://"),
        (ProfileDeclaration("21210001600014", "https://x.test/", "  "), "coordonnées"),
    ],
)
def test_a_bad_declaration_line_is_refused(row, message):
    with pytest.raises(DecpError, match=message):
        build_dpa_csv([row])


def test_enumerations_are_plain_json_values():
    json.dumps([c.CCAG, c.TYPES_CODE_LIEU])
