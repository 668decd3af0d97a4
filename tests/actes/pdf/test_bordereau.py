"""The bordereau d'acquittement: its sections and values, found in the PDF's text."""

import datetime as dt
import io

from pypdf import PdfReader

from bouquet.actes.pdf.bordereau import (
    BordereauData,
    BordereauEvent,
    BordereauFile,
    bordereau_pdf,
    human_size,
)

SECTIONS = [
    "Bordereau d'acquittement de transaction",
    "Collectivité :",
    "Utilisateur :",
    "Paramètres de la transaction :",
    "Accusé de réception :",
    "Fichiers contenus dans l'archive :",
    "Cycle de vie de la transaction :",
]


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """Table cells wrap long values: compare without line breaks."""
    return "".join(text.split())


def sample(**changes) -> BordereauData:
    values = {
        "authority": "Commune d'Essai",
        "siren": "210100012",
        "user": "Alice Martin <alice@a.example.test>",
        "transaction_type": "Transmission d'actes",
        "nature": "Délibérations",
        "number": "2026_D042",
        "subject": "Vote du budget primitif 2026 & annexes <budget>",
        "decision_date": dt.date(2026, 3, 1),
        "document_papier": True,
        "classification": "7.1 - Décisions budgétaires",
        "id_acte": "021-210100012-20260301-2026_D042-DE",
        "status": "Acquittement reçu",
        "sent_at": dt.datetime(2026, 3, 2, 9, 30, 5),
        "received_at": dt.date(2026, 3, 3),
        "files": (
            BordereauFile(
                "budget.pdf",
                "99_DE-021-210100012-20260301-2026_D042-DE-1-1_1.pdf",
                "application/pdf",
                123_456,
                "ab" * 32,
            ),
            BordereauFile(
                "annexe.pdf", "99_AN-021-210100012-20260301-2026_D042-DE-1-1_2.pdf", "application/pdf", 512
            ),
        ),
        "history": (
            BordereauEvent("Posté", dt.datetime(2026, 3, 2, 9, 0), "Dépôt initial"),
            BordereauEvent("Transmis", dt.datetime(2026, 3, 2, 9, 30, 5), "Transmis au MI"),
            BordereauEvent(
                "Acquittement reçu", dt.datetime(2026, 3, 3, 11, 0), "Reçu par le MI le 2026-03-03"
            ),
        ),
        "generated_at": dt.datetime(2026, 3, 4, 10, 0),
    }
    values.update(changes)
    return BordereauData(**values)


def test_it_shows_every_section_and_value():
    pdf = bordereau_pdf(sample())
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for section in SECTIONS:
        assert section in text
    assert "Collectivité : Commune d'Essai (SIREN 210100012)" in text
    assert "Utilisateur : Alice Martin <alice@a.example.test>" in text
    for label, value in [
        ("Type de transaction", "Transmission d'actes"),
        ("Nature de l'acte", "Délibérations"),
        ("Numéro de l'acte", "2026_D042"),
        ("Date de la décision", "01/03/2026"),
        ("Objet", "Vote du budget primitif 2026 & annexes <budget>"),
        ("Documents papiers complémentaires", "OUI"),
        ("Classification matières/sous-matières", "7.1 - Décisions budgétaires"),
        ("Identifiant unique", "021-210100012-20260301-2026_D042-DE"),
        ("Envoyé en préfecture le", "02/03/2026 09:30:05"),
        ("Reçu en préfecture le", "03/03/2026"),
    ]:
        assert f"{label}\n{value}" in text, label
    flattened = flat(text)
    for value in [
        "budget.pdf",
        "99_DE-021-210100012-20260301-2026_D042-DE-1-1_1.pdf",
        "120,6Ko",
        "512o",
        "ab" * 32,
        "Dépôtinitial",
        "TransmisauMI",
        "ReçuparleMIle2026-03-03",
        "03/03/202611:00:00",
        "ÉditéparBouquetle04/03/202610:00:00",
    ]:
        assert value in flattened, value


def test_it_handles_a_transaction_without_files_nor_ar():
    text = text_of(bordereau_pdf(sample(files=(), history=(), id_acte="", received_at=None, sent_at=None)))
    assert "Aucun fichier" in text
    assert "Documents papiers complémentaires\nOUI" in text


def test_it_runs_over_several_pages_for_a_long_history():
    history = tuple(
        BordereauEvent("Transmis", dt.datetime(2026, 3, 2, 9, 0) + dt.timedelta(minutes=i), f"Étape {i}")
        for i in range(120)
    )
    reader = PdfReader(io.BytesIO(bordereau_pdf(sample(history=history))))
    assert len(reader.pages) > 1
    assert "Étape 119" in reader.pages[-1].extract_text()


def test_sizes_read_as_in_s2low():
    assert [human_size(n) for n in (0, 1023, 1024, 1536, 5 * 1024**2, 3 * 1024**3)] == [
        "0 o",
        "1023 o",
        "1,0 Ko",
        "1,5 Ko",
        "5,0 Mo",
        "3,0 Go",
    ]
