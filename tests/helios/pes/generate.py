"""Test-only: write large synthetic PES_Aller files to disk without building them in memory."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from .signing import TestSigner, sign_bordereaux

__all__ = ["HEAD", "write_pes_aller"]

HEAD = """<?xml version="1.0" encoding="ISO-8859-1"?>
<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller" \
xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xad="http://uri.etsi.org/01903/v1.1.1#" Id="GEN1">
<Enveloppe><Parametres><Version V="2"/><TypFic V="PESALR2"/><NomFic V="{nomfic}"/></Parametres>
<Emetteur><Sigle V="BOUQUET"/><Adresse V="bench"/></Emetteur></Enveloppe>
<EnTetePES><DteStr V="2026-01-15"/><IdPost V="034000"/><IdColl V="21340172201787"/><CodCol V="123"/>\
<CodBud V="01"/><LibelleColBud V="COMMUNE DE TEST"/></EnTetePES>
<PES_DepenseAller><EnTeteDepense><IdVer V="2"/><InfoDematerialisee V="0"/></EnTeteDepense>
"""


def _bordereau(number: int, pieces: int, with_id: bool) -> str:
    ident = f' Id="BORD{number}"' if with_id else ""
    piece = (
        '<Piece><BlocPiece><InfoPce><IdPce V="{p}"/><TypPce V="01"/><NatPce V="01"/><Obj V="FOURNITURES"/>'
        '</InfoPce></BlocPiece><LigneDePiece><BlocLignePiece><InfoLignePce><IdLigne V="1"/>'
        '<Nature V="6068"/><MtHT V="10.00"/></InfoLignePce></BlocLignePiece></LigneDePiece></Piece>\n'
    )
    body = "".join(piece.format(p=p) for p in range(1, pieces + 1))
    return (
        f'<Bordereau{ident}><BlocBordereau><Exer V="2026"/><IdBord V="{number}"/><TypBord V="01"/>'
        f'<NbrPce V="{pieces}"/><MtBordHT V="{pieces * 10}.00"/></BlocBordereau>\n{body}</Bordereau>\n'
    )


def write_pes_aller(
    path: Path,
    *,
    bordereaux: int = 3,
    pieces: int = 100,
    pj_bytes: int = 1024 * 1024,
    signer: TestSigner | None = None,
    nomfic: str = "BENCH_0001",
) -> Path:
    """Write a PES_Aller with ``bordereaux`` × ``pieces`` pieces and one PJ of ``pj_bytes`` base64 bytes.

    With ``signer``, the first bordereau is signed (Hélios style) and the rest is spliced around it,
    which keeps its signature valid.
    """
    first = HEAD.format(nomfic=nomfic) + _bordereau(1, pieces, True) + "</PES_DepenseAller></n:PES_Aller>"
    data = first.encode("iso-8859-1")
    if signer is not None:
        data = sign_bordereaux(data, signer)
    data = data[: data.rindex(b"</PES_DepenseAller>")]
    block = base64.b64encode(os.urandom(57 * 1024)).replace(b"=", b"A")
    line = b"\n".join(block[i : i + 76] for i in range(0, len(block), 76)) + b"\n"
    with open(path, "wb") as out:
        out.write(data)
        for number in range(2, bordereaux + 1):
            out.write(_bordereau(number, pieces, False).encode("iso-8859-1"))
        out.write(b'</PES_DepenseAller>\n<PES_PJ><EnTetePES_PJ><IdVer V="1"/></EnTetePES_PJ>\n')
        out.write(b'<PJ><Contenu><Fichier MIMEType="application/pdf">')
        written = 0
        while written < pj_bytes:
            chunk = line[: pj_bytes - written]
            if len(chunk) < len(line):  # the last piece: whole lines, then whole 4-character groups
                chunk = chunk[: len(chunk) // 77 * 77 + len(chunk) % 77 // 4 * 4]
            if not chunk:
                break
            out.write(chunk)
            written += len(chunk)
        out.write(b'</Fichier></Contenu><IdUnique V="PJ0001"/><NomPJ V="facture.pdf"/><TypePJ V="003"/>')
        out.write(b'<Description V="Facture du fournisseur"/>')
        out.write(b"</PJ></PES_PJ>\n</n:PES_Aller>\n")
    return path
