"""The préfecture's actions from a shell, on the state of a (possibly running) simulator.

``python -m bouquet.simulators.ministry.cli --state-dir D --deliver URL letter --type 3-1 --id-acte X
--text "…"``; subcommands: serve, letter, classification, annulation-ar, answer-ar, register, list.
"""

import argparse
import sys
from collections.abc import Sequence

from . import prefecture
from .delivery import Mailer
from .outbox import Outbox
from .state import State

__all__ = ["main", "TABLES"]

#: What ``list`` can show.
TABLES = ("acts", "archives", "cancellations", "answers", "letters", "classification_requests", "mails",
          "authorities")  # fmt: skip


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bouquet.simulators.ministry.cli", description="Préfecture simulée (@ctes)"
    )
    parser.add_argument("--state-dir", help="répertoire de l'état du simulateur")
    parser.add_argument(
        "--deliver", help="maildir:///chemin ou smtp://hôte:port (actions qui envoient un courriel)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="lancer le simulateur (options de simulate-ministry)")
    serve.add_argument("rest", nargs=argparse.REMAINDER)
    letter = sub.add_parser("letter", help="envoyer un courrier 2-1, 3-1, 4-1 ou 5-1")
    letter.add_argument("--type", required=True, choices=sorted(prefecture.LETTER_TITLES))
    letter.add_argument("--id-acte", required=True)
    letter.add_argument("--text", required=True)
    classification = sub.add_parser("classification", help="envoyer la classification (7-2) ou 7-3")
    classification.add_argument("--siren", required=True)
    classification.add_argument("--unchanged", action="store_true", help="répondre « sans changement » (7-3)")
    for name, help_text in (("annulation-ar", "AR d'une annulation en attente (6-2)"),
                            ("answer-ar", "AR d'une réponse 3-3/3-4/4-3/4-4 (3-5/4-5)")):  # fmt: skip
        action = sub.add_parser(name, help=help_text)
        group = action.add_mutually_exclusive_group(required=True)
        group.add_argument("--id", type=int, help="numéro dans l'état (voir list)")
        group.add_argument("--id-acte", help="la plus récente en attente pour cet acte")
    register = sub.add_parser("register", help="enregistrer des SIREN")
    register.add_argument("siren", nargs="+")
    listing = sub.add_parser("list", help="afficher l'état")
    listing.add_argument("table", nargs="?", choices=TABLES, default="acts")
    return parser


def _pending(state: State, table: str, id_acte: str) -> int:
    where = "status = 'en attente'" if table == "cancellations" else "ar_sent_at IS NULL AND code != '2-2'"
    row = state.row(f"SELECT id FROM {table} WHERE id_acte = ? AND {where} ORDER BY id DESC", (id_acte,))  # noqa: S608
    if row is None:
        raise prefecture.PrefectureError(f"Rien en attente pour l'acte {id_acte}.")
    return int(row["id"])


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    if options.command == "serve":
        from .server import main as serve

        extra = [
            f"--{k.replace('_', '-')}={getattr(options, k)}"
            for k in ("state_dir", "deliver")
            if getattr(options, k)
        ]
        return serve([*extra, *options.rest])
    if not options.state_dir:
        print("--state-dir est obligatoire.", file=sys.stderr)
        return 2
    state = State(options.state_dir)
    if options.command == "register":
        for siren in options.siren:
            state.register(siren)
        print(f"{len(options.siren)} SIREN enregistré(s).")
        return 0
    if options.command == "list":
        query = f"SELECT * FROM {options.table} ORDER BY rowid"  # noqa: S608 - fixed choices
        for row in state.rows(query):
            print(" | ".join(f"{k}={v}" for k, v in row.items() if v is not None))
        return 0
    if not options.deliver:
        print("--deliver est obligatoire pour envoyer un courriel.", file=sys.stderr)
        return 2
    outbox = Outbox(state, Mailer(options.deliver))
    try:
        if options.command == "letter":
            message_id = prefecture.send_letter(state, outbox, options.type, options.id_acte, options.text)
        elif options.command == "classification":
            known = prefecture.classification_version(state) if options.unchanged else None
            message_id = prefecture.answer_classification(state, outbox, options.siren, known)
        elif options.command == "annulation-ar":
            number = options.id or _pending(state, "cancellations", options.id_acte)
            message_id = prefecture.acknowledge_cancellation(state, outbox, number)
        else:
            number = options.id or _pending(state, "answers", options.id_acte)
            message_id = prefecture.acknowledge_answer(state, outbox, number)
    except prefecture.PrefectureError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    print(f"Courriel envoyé : {message_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
