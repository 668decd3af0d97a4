"""DECP v2 (données essentielles de la commande publique): pure library, no Django import.

* :mod:`.model`: the records (marchés, contrats de concession, modifications) as frozen dataclasses;
* :func:`build_json` / :func:`build_xml`: the files of schema 2.0.3 (JSON) and 2.0.2 (XML);
* :func:`validate_dataset`: both official schemas (shipped in ``schemas/``) and coherence rules,
  with French findings; :func:`build_validated` refuses what is not publishable;
* :func:`read_decp`: import of DECP files from any platform, JSON or XML (safe XML parsing);
* :func:`build_dpa_csv`: the buyer profile declaration for data.gouv.fr;
* :func:`decp_threshold`: the dated publication threshold (40 000 € HT since 2024).
"""

from .build import build_json, build_xml, json_document, xml_tree
from .dpa import DPA_COLUMNS, ProfileDeclaration, build_dpa_csv
from .errors import DecpError, RecordError, UnreadableFileError, UnsafeXmlError
from .findings import Finding
from .identifiers import id_problem, siret_is_valid
from .model import (
    ActeSousTraitance,
    ContratConcession,
    Dataset,
    DonneesAnnuelles,
    LieuExecution,
    Marche,
    ModificationActeSousTraitance,
    ModificationConcession,
    ModificationMarche,
    Operateur,
    Tarif,
)
from .read import ReadResult, read_decp, read_json, read_xml
from .rules import check_rules
from .thresholds import DECP_THRESHOLDS, decp_threshold, must_publish
from .validate import InvalidDatasetError, Verdict, build_validated, validate_dataset

__all__ = [
    "ActeSousTraitance",
    "ContratConcession",
    "DECP_THRESHOLDS",
    "DPA_COLUMNS",
    "Dataset",
    "DecpError",
    "DonneesAnnuelles",
    "Finding",
    "InvalidDatasetError",
    "LieuExecution",
    "Marche",
    "ModificationActeSousTraitance",
    "ModificationConcession",
    "ModificationMarche",
    "Operateur",
    "ProfileDeclaration",
    "ReadResult",
    "RecordError",
    "Tarif",
    "UnreadableFileError",
    "UnsafeXmlError",
    "Verdict",
    "build_dpa_csv",
    "build_json",
    "build_validated",
    "build_xml",
    "check_rules",
    "decp_threshold",
    "id_problem",
    "json_document",
    "must_publish",
    "read_decp",
    "read_json",
    "read_xml",
    "siret_is_valid",
    "validate_dataset",
    "xml_tree",
]
