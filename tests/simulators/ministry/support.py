"""Helpers for the ministry simulator tests: build archives as the platform would, post them, read mails."""

import datetime as dt
import email
import json
import time
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import requests

from bouquet.actes.protocol import (
    ArchiveMember,
    EnvelopeName,
    MessageName,
    Transmission,
    build_archive,
    build_message,
    build_transmission,
)
from bouquet.actes.protocol.messages import IDCL, Acte, EnveloppeCLMISILL, Message, Referent, SignedFile
from bouquet.actes.protocol.xmlbuild import to_bytes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "actes"
PDF = next((FIXTURES / "pastell/test/PHPUnit/module/actes-preversement-seda/fixtures").glob("*-1-1_1.pdf"))
SIREN = "214502494"
UNREGISTERED = "210703385"
DEPT = "034"
TDT_ADDRESS = "actes@tdt.bouquet.test"
DECISION = dt.date(2025, 3, 14)


def envelope(siren: str, formulaires: list[str]) -> EnveloppeCLMISILL:
    return EnveloppeCLMISILL(
        idcl=IDCL(siren, DEPT, "2", "31"),
        referent=Referent("Marie Durand", "0300000000", "marie.durand@mairie.test"),
        adresses_retour=(TDT_ADDRESS, "marie.durand@mairie.test"),
        formulaires=tuple(SignedFile(f) for f in formulaires),
    )


def act(numero: str = "D2025_001", **changes: object) -> tuple[MessageName, Acte, str]:
    name = MessageName(DEPT, SIREN, DECISION, numero, "DE", "1-1")
    document = str(name.document(1, "pdf", "99_DE"))
    fields: dict = dict(
        date=DECISION, numero_interne=numero, code_nature_acte=1, codes_matiere=(5, 2),
        objet="Désignation des délégués au syndicat des eaux",
        classification_date_version=dt.date(2025, 1, 1),
        document=SignedFile(document), document_papier=False,
    )  # fmt: skip
    fields.update(changes)
    return name, Acte(**fields), document


def transmission(
    messages: list[tuple[MessageName | str, Message]],
    documents: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    *,
    siren: str = SIREN,
    serial: int = 1,
) -> Transmission:
    env = envelope(siren, [str(n) for n, _ in messages])
    return build_transmission(
        trigramme="BQT", envelope_name=EnvelopeName(siren, dt.date.today(), serial), envelope=env,
        messages=messages, documents=documents,
    )  # fmt: skip


def act_archive(numero: str = "D2025_001", *, siren: str = SIREN, serial: int = 1) -> Transmission:
    name, acte, document = act(numero)
    if siren != SIREN:
        name = MessageName(DEPT, siren, DECISION, numero, "DE", "1-1")
        document = str(name.document(1, "pdf", "99_DE"))
        acte = Acte(**{**acte.__dict__, "document": SignedFile(document)})
    return transmission([(name, acte)], [(document, PDF.read_bytes())], siren=siren, serial=serial)


def raw_archive(
    messages: list[tuple[str, bytes]], documents: list[tuple[str, bytes]], serial: int = 1
) -> Transmission:
    """An archive with unvalidated message XML (what a buggy TdT could send)."""
    env_name = EnvelopeName(SIREN, dt.date.today(), serial)
    members = [ArchiveMember(str(env_name), build_message(envelope(SIREN, [n for n, _ in messages])))]
    members += [ArchiveMember(n, d) for n, d in (*messages, *documents)]
    return Transmission(f"BQT-{env_name.stem}.tar.gz", build_archive(members), tuple(m.name for m in members))


def unvalidated(message: Message) -> bytes:
    return to_bytes(message.to_element())


def post(
    sim, name: str, data: bytes, *, cert: tuple[str, str] | None, pki, timeout: float = 10
) -> requests.Response:
    return requests.post(
        f"https://127.0.0.1:{sim.port}/actes/upload",
        files={name: (name, data, "application/gzip")},
        cert=cert,
        verify=str(pki.ca_chain),
        timeout=timeout,
    )


def mails(maildir: Path) -> list[EmailMessage]:
    """The mails of the Maildir, in delivery order (file time, then name)."""
    files = [f for sub in ("new", "cur") if (maildir / sub).is_dir() for f in (maildir / sub).iterdir()]
    files.sort(key=lambda f: (f.stat().st_mtime_ns, f.name))
    return [email.message_from_bytes(f.read_bytes(), policy=default) for f in files]  # type: ignore[misc]


def wait_mails(maildir: Path, count: int, timeout: float = 10) -> list[EmailMessage]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = mails(maildir)
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{count} courriel(s) attendu(s), {len(mails(maildir))} reçu(s)")


def wait_for(predicate, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition jamais remplie")


def attachments(mail: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_payload(decode=True) for part in mail.iter_attachments()}


def all_files(maildir: Path, count: int) -> dict[str, bytes]:
    """Every attachment of the first ``count`` mails (names do not repeat across answers)."""
    return {k: v for m in wait_mails(maildir, count) for k, v in attachments(m).items()}


def set_faults(path: Path, **faults: object) -> None:
    path.write_text(json.dumps(faults), encoding="utf-8")
