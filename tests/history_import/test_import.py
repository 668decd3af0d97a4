"""History import from the previous operator: complete, idempotent, resumable, and strict."""

import io
import shutil
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bouquet.actes.models import Transaction, TransactionFile, TransactionHistory
from bouquet.core.models import Authority, JournalEntry, Membership, User
from bouquet.history_import.export_format import Export
from bouquet.history_import.importer import HistoryImporter
from bouquet.history_import.models import ImportedItem, ItemKind, is_imported
from bouquet.test import make_modules, make_operator
from tests.history_import.export_builder import build_export, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform():
    make_modules()
    return make_operator()


def run_import(folder, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_history", str(folder), stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_ten_thousand_transactions_then_a_second_run_brings_nothing(platform, tmp_path):
    folder = build_export(tmp_path / "export", 10_000, distinct_files=100)
    out, err = run_import(folder, batch_size=1000)
    assert Transaction.objects.count() == 10_000
    assert TransactionHistory.objects.count() == 10_000 * 3 + 5_000
    assert TransactionFile.objects.filter(role="main").count() == 10_000
    assert TransactionFile.objects.filter(role="ar").count() == 5_000
    assert "actes          [##############################] 10000/10000" in err
    assert "213102122" in out and "5000" in out  # report per authority
    # Dated history and status as in the export.
    act = Transaction.objects.get(number="2021_000002")
    assert act.status == 4 and act.id_acte == "021-213102122-2"
    assert [h.status for h in act.history.order_by("at")] == [1, 2, 3, 4]
    assert act.last_status_at - act.created_at == timedelta(minutes=30)
    assert act.files.get(role="main").read().startswith(b"%PDF")

    out, _ = run_import(folder, batch_size=1000)
    assert Transaction.objects.count() == 10_000
    assert TransactionHistory.objects.count() == 35_000
    assert User.objects.count() == 3 and Authority.objects.count() == 2
    assert ImportedItem.objects.filter(kind=ItemKind.ACTE).count() == 10_000


def test_an_import_killed_midway_resumes_without_duplicates(platform, tmp_path):
    folder = build_export(tmp_path / "export", 50)
    calls = []

    def crash_after_two_batches(step, done, total):
        if step == "actes":
            calls.append(done)
            if len(calls) == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        HistoryImporter(Export(folder), batch_size=10, progress=crash_after_two_batches).run()
    assert Transaction.objects.count() == 20
    report = HistoryImporter(Export(folder), batch_size=10).run()
    assert Transaction.objects.count() == 50
    assert sum(a.actes_already for a in report.authorities.values()) == 20
    assert len(set(Transaction.objects.values_list("number", flat=True))) == 50


def test_imported_items_are_flagged_scoped_and_journaled(platform, tmp_path):
    run_import(build_export(tmp_path / "export", 4))
    act = Transaction.objects.get(number="2021_000001")
    assert is_imported(ItemKind.ACTE, act.pk)
    assert act.authority.siren == "200055648"
    claire = User.objects.get(email="secretariat@reprise.example.test")
    membership = Membership.objects.get(user=claire)
    right = membership.right("ACTES")
    assert (right.access, right.can_prepare, right.can_transmit) == ("write", True, True)
    assert not claire.has_usable_password()  # invited later, never a password from the export
    assert JournalEntry.objects.filter(action="history_import.actes").count() == 2


def test_existing_authority_is_matched_not_modified(platform, tmp_path):
    existing = Authority.objects.create(
        operator=platform, name="Reprise (nom déjà connu)", kind="31", siren="213102122",
        departement="021", arrondissement="2",
    )  # fmt: skip
    run_import(build_export(tmp_path / "export", 2))
    existing.refresh_from_db()
    assert existing.name == "Reprise (nom déjà connu)"
    assert Transaction.objects.filter(authority=existing).count() == 1


@pytest.mark.parametrize(
    "damage, message",
    [
        (
            lambda f: _replace(f / "actes.csv", "fichiers/000001.pdf", "../../etc/passwd"),
            "chemin de fichier refusé",
        ),
        (
            lambda f: _replace(f / "actes.csv", "fichiers/000001.pdf", "/etc/passwd"),
            "chemin de fichier refusé",
        ),
        (lambda f: (f / "fichiers/000001.pdf").unlink(), "fichier introuvable"),
        (
            lambda f: _replace(f / "actes_etats.csv", "S2LOW-1;3;", "S2LOW-1;99;"),
            "valeur inconnue pour « etat »",
        ),
        (lambda f: _replace(f / "collectivites.csv", "213102122", "213102123"), "SIREN"),
        (lambda f: _replace(f / "actes.csv", "S2LOW-1;", "S2LOW-0;"), "en double"),
        (
            lambda f: _replace(f / "actes.csv", ";date_creation;", ";creation;"),
            "colonne(s) manquante(s) : date_creation",
        ),
        (lambda f: _replace(f / "actes.csv", "2021_000002", "2021_000000"), "déjà utilisé"),
        (lambda f: _replace(f / "utilisateurs.csv", "lecture;", "toutpuissant;"), "droits"),
    ],
)
def test_a_bad_export_is_refused_whole_with_its_reasons(platform, tmp_path, damage, message):
    folder = build_export(tmp_path / "export", 4)
    damage(folder)
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        _, err = run_import(folder)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_history", str(folder), stdout=out, stderr=err)
    assert message in err.getvalue()
    assert Transaction.objects.count() == 0 and Authority.objects.count() == 0
    assert not ImportedItem.objects.exists()


def test_symlink_out_of_the_export_is_refused(platform, tmp_path):
    folder = build_export(tmp_path / "export", 2)
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF secret")
    (folder / "fichiers/000001.pdf").unlink()
    (folder / "fichiers/000001.pdf").symlink_to(secret)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_history", str(folder), stdout=io.StringIO(), stderr=err)
    assert "refusé" in err.getvalue()
    assert Transaction.objects.count() == 0


def test_latin1_export_with_french_headers_and_commas_is_read(platform, tmp_path):
    folder = build_export(tmp_path / "export", 2)
    write_csv(
        folder / "collectivites.csv",
        ["Id", "SIREN", "Nom", "Nature", "Département", "Arrondissement", "Population", "SIRETs"],
        [("c1", "213102122", "Commune de Réprise", "31", "21", "2", "812", ""),
         ("c2", "200055648", "Syndicat", "41", "21", "1", "", "")],
        encoding="iso-8859-1",
        delimiter=",",
    )  # fmt: skip
    run_import(folder)
    assert Authority.objects.get(siren="213102122").name == "Commune de Réprise"
    assert Authority.objects.get(siren="213102122").departement == "021"


def test_check_only_imports_nothing(platform, tmp_path):
    out, _ = run_import(build_export(tmp_path / "export", 3), check=True)
    assert "aucun problème" in out
    assert Transaction.objects.count() == 0


def test_missing_folder_is_a_clear_error(platform, tmp_path):
    with pytest.raises(CommandError, match="n'existe pas"):
        run_import(tmp_path / "absent")
    shutil.rmtree(tmp_path, ignore_errors=True)


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pes_flows_with_acquits_are_imported_once(platform, tmp_path):
    from bouquet.helios.models import Acquit
    from bouquet.helios.models import Transaction as Pes
    from tests.history_import.export_builder import add_helios

    folder = add_helios(build_export(tmp_path / "export", 2), 6)
    out, err = run_import(folder)
    assert "flux PES       [##############################] 6/6" in err
    assert Pes.objects.count() == 6
    first = Pes.objects.get(nom_fic="REPRISE-00000")
    assert first.status == 8 and first.authority.siren == "213102122"
    assert [h.status for h in first.history.order_by("at")] == [1, 2, 3, 8]
    assert first.file.read() == (folder / "fichiers/pes-00000.xml").read_bytes()  # byte for byte
    assert Acquit.objects.get(transaction=first).all_accepted
    assert not Acquit.objects.filter(transaction__nom_fic="REPRISE-00001").exists()
    assert JournalEntry.objects.filter(action="history_import.helios").count() == 2

    run_import(folder)
    assert Pes.objects.count() == 6 and Acquit.objects.count() == 3


def test_a_pes_already_on_the_platform_or_unreadable_refuses_the_export(platform, tmp_path):
    from tests.history_import.export_builder import add_helios

    folder = add_helios(build_export(tmp_path / "export", 2), 2)
    (folder / "fichiers/pes-00001.xml").write_bytes(b"<?xml version='1.0'?><pas-un-pes/>")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_history", str(folder), stdout=io.StringIO(), stderr=err)
    assert "pes-00001.xml" in err.getvalue()
    assert Transaction.objects.count() == 0 and Authority.objects.count() == 0
