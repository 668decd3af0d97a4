"""@ctes: build a transmission (1 MB act PDF + 2 annexes), schema validation included, N times."""

import datetime as dt
import os
import time

from bouquet.actes.protocol import EnvelopeName, MessageName, build_transmission
from bouquet.actes.protocol.messages import IDCL, Acte, EnveloppeCLMISILL, SignedFile

ROUNDS = 30


def _pdf(size: int) -> bytes:
    # Random bytes behind a PDF header: gzip cannot shrink them, like a real scanned act.
    return b"%PDF-1.7\n" + os.urandom(size - 9)


def run() -> None:
    message = MessageName("034", "491011698", dt.date(2024, 12, 9), "2024_DEL_001", "DE", "1-1")
    names = [message.document(n, "pdf", t) for n, t in ((1, "99_DE"), (2, "99_SE"), (3, "99_SE"))]
    contents = [_pdf(1_000_000), _pdf(100_000), _pdf(100_000)]
    acte = Acte(
        date=message.date or dt.date.today(),
        numero_interne="2024_DEL_001",
        code_nature_acte=1,
        codes_matiere=(3, 2),
        objet="Délibération de test de performance",
        classification_date_version=dt.date(2019, 3, 1),
        document=SignedFile(str(names[0])),
        annexes=tuple(SignedFile(str(n)) for n in names[1:]),
    )
    envelope = EnveloppeCLMISILL(
        idcl=IDCL("491011698", "034", "3", "31"),
        adresses_retour=("actes@tdt.example.fr",),
        formulaires=(SignedFile(str(message)),),
    )
    start = time.perf_counter()
    for serial in range(1, ROUNDS + 1):
        build_transmission(
            trigramme="BQT",
            envelope_name=EnvelopeName(siren="491011698", date=dt.date(2024, 12, 10), serial=serial),
            envelope=envelope,
            messages=[(message, acte)],
            documents=list(zip(names, contents, strict=True)),
        )
    elapsed = time.perf_counter() - start
    print(f"actes archive build: {ROUNDS / elapsed:.1f} archives/s")
