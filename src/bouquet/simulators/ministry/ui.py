"""The préfecture's side, played by hand: a small French web page on a loopback-only HTTP port.

Lists what the ministry received and offers the préfecture's actions (letters, ARs, classification).
No CSRF token: it only listens on the loopback interface, and actions are POST-only.
"""

import ipaddress
import logging
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from . import prefecture
from .outbox import Outbox
from .state import State

__all__ = ["PrefectureUI"]

log = logging.getLogger("bouquet.simulators.ministry.ui")

_STYLE = (
    "body{font-family:sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin-bottom:1.5em}"
    "td,th{border:1px solid #999;padding:.3em .5em;vertical-align:top}form{display:inline-block;margin:.2em}"
    ".msg{background:#eef;padding:.5em}"
)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _form(action: str, label: str, **fields: str) -> str:
    hidden = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in fields.items())
    return f'<form method="post" action="{action}">{hidden}<button>{escape(label)}</button></form>'


def _table(headers: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "<p>Aucun élément.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _letter_form(id_acte: str) -> str:
    options = "".join(
        f'<option value="{c}">{c} {escape(t)}</option>' for c, t in prefecture.LETTER_TITLES.items()
    )
    return (
        '<form method="post" action="/courrier">'
        f'<input type="hidden" name="id_acte" value="{escape(id_acte)}">'
        f'<select name="type">{options}</select> <input name="texte" size="40" required '
        'placeholder="Texte du courrier"> <button>Envoyer</button></form>'
    )


def _cells(row: dict[str, Any], *keys: str) -> list[str]:
    return [escape(str(row[key] or "")) for key in keys]


def _acts(state: State) -> str:
    rows = []
    for a in state.rows("SELECT * FROM acts ORDER BY id DESC LIMIT 200"):
        status = a["status"] + (f" : {a['detail']}" if a["detail"] else "")
        action = _letter_form(a["id_acte"]) if a["status"] != "anomalie" else ""
        rows.append([*_cells(a, "id_acte", "siren", "numero_interne", "nature", "decision_date", "objet"),
                     escape(status), action])  # fmt: skip
    return _table(["IDActe", "SIREN", "Numéro", "Nature", "Décision", "Objet", "État", "Courrier"], rows)


def _cancellations(state: State) -> str:
    rows = []
    for c in state.rows("SELECT * FROM cancellations ORDER BY id DESC LIMIT 100"):
        pending = c["status"] == "en attente"
        action = _form("/annulation", "Envoyer l'AR d'annulation (6-2)", id=str(c["id"])) if pending else ""
        rows.append([*_cells(c, "id_acte", "received_at", "status"), action])
    return _table(["IDActe", "Reçue le", "État", ""], rows)


def _answers(state: State) -> str:
    rows = []
    for r in state.rows("SELECT * FROM answers ORDER BY id DESC LIMIT 100"):
        pending = r["code"] != "2-2" and not r["ar_sent_at"]
        action = _form("/reponse", f"Acquitter ({r['code'][0]}-5)", id=str(r["id"])) if pending else ""
        rows.append([*_cells(r, "id_acte", "code", "received_at", "ar_sent_at"), action])
    return _table(["IDActe", "Type", "Reçue le", "AR envoyé le", ""], rows)


def _authorities(state: State) -> str:
    rows = []
    for a in state.rows("SELECT * FROM authorities ORDER BY siren"):
        action = ""
        if a["return_address"]:
            action = _form("/classification", "Envoyer la classification (7-2)", siren=a["siren"]) + _form(
                "/classification", "Classification inchangée (7-3)", siren=a["siren"], inchangee="1"
            )
        rows.append([*_cells(a, "siren", "departement", "return_address"), action])
    return _table(["SIREN", "Département", "Adresse de retour", "Classification"], rows) + (
        '<form method="post" action="/enregistrer"><input name="siren" pattern="[0-9]{9}" required '
        'placeholder="SIREN"> <button>Enregistrer un SIREN</button></form>'
    )


def render_index(state: State, message: str = "") -> str:
    """The whole page (French)."""
    letters = [
        _cells(x, "id_acte", "code", "date_courrier_pref", "text", "ar_received_at")
        for x in state.rows("SELECT * FROM letters ORDER BY id DESC LIMIT 100")
    ]
    archives = [
        _cells(a, "name", "received_at", "detail")
        for a in state.rows("SELECT * FROM archives ORDER BY id DESC LIMIT 50")
    ]
    notice = f'<p class="msg">{escape(message)}</p>' if message else ""
    sections = [
        ("Actes reçus", _acts(state)),
        ("Annulations", _cancellations(state)),
        ("Réponses des collectivités", _answers(state)),
        ("Courriers envoyés", _table(["IDActe", "Type", "Date", "Texte", "AR reçu le"], letters)),
        ("Collectivités enregistrées", _authorities(state)),
        ("Archives reçues", _table(["Archive", "Reçue le", "Résultat"], archives)),
    ]
    body = "".join(f"<h2>{title}</h2>{html}" for title, html in sections)
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>Préfecture (simulateur @ctes)</title><style>{_STYLE}</style></head>"
        f"<body><h1>Préfecture — simulateur @ctes</h1>{notice}{body}</body></html>"
    )


class _Handler(BaseHTTPRequestHandler):
    server: "PrefectureUI"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.info("interface %s", format % args)

    def _page(self, code: int, html: str) -> None:
        body = html.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path.split("?")[0] != "/":
            self._page(404, "<p>Page introuvable.</p>")
            return
        self._page(200, render_index(self.server.state))

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        length = min(int(self.headers.get("Content-Length") or 0), 1_000_000)
        fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
        state, outbox = self.server.state, self.server.outbox
        try:
            message = run_action(self.path, fields, state, outbox)
            code = 200
        except (prefecture.PrefectureError, ValueError, KeyError) as exc:
            message, code = f"Action impossible : {exc}", 400
        self._page(code, render_index(state, message))


def run_action(path: str, fields: dict[str, str], state: State, outbox: Outbox) -> str:
    """Do one UI action; the French confirmation."""
    if path == "/courrier":
        mid = prefecture.send_letter(
            state, outbox, fields["type"], fields["id_acte"], fields.get("texte", "")
        )
        return f"Courrier {fields['type']} envoyé ({mid})."
    if path == "/annulation":
        mid = prefecture.acknowledge_cancellation(state, outbox, int(fields["id"]))
        return f"AR d'annulation envoyé ({mid})."
    if path == "/reponse":
        return f"Réponse acquittée ({prefecture.acknowledge_answer(state, outbox, int(fields['id']))})."
    if path == "/classification":
        siren = fields["siren"]
        known = prefecture.classification_version(state) if fields.get("inchangee") else None
        return f"Classification envoyée ({prefecture.answer_classification(state, outbox, siren, known)})."
    if path == "/enregistrer":
        if not fields.get("siren", "").isdigit() or len(fields["siren"]) != 9:
            raise ValueError("SIREN de 9 chiffres attendu")
        state.register(fields["siren"])
        return f"SIREN {fields['siren']} enregistré."
    raise KeyError(path)


class PrefectureUI(ThreadingHTTPServer):
    """Plain HTTP, loopback only (refuses any other address)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: State, outbox: Outbox) -> None:
        if not _is_loopback(address[0]):
            raise ValueError(f"L'interface préfecture n'écoute que sur la boucle locale, pas {address[0]!r}.")
        super().__init__(address, _Handler)
        self.state, self.outbox = state, outbox
