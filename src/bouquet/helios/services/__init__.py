"""HELIOS use cases, one module each; the most used ones are re-exported here.

Pages, the S²LOW-compatible API, the REST API, commands and workers all call these:

* :func:`preflight` — analyse a file without storing anything (the page's immediate report);
* :func:`upload_pes` — intake: every check, then the transaction in 1, 13 or 14 (or ``HeliosRefusal``);
* :func:`post_transaction` (14 → 1), :func:`cancel_transaction` (→ 0), :func:`submit_signed_file` (13 → 1);
* :func:`mark_retour_read`, :func:`assign_retour`, :func:`set_parameters`;
* operator: :func:`set_error`, :func:`rollback`;
* workers: ``check_transaction``, ``send_transaction``, ``apply_incoming_file``… (see ``tasks.py``).
"""

from bouquet.helios.services.assign_retour import assign_retour
from bouquet.helios.services.cancel_transaction import cancel_transaction
from bouquet.helios.services.common import HeliosRights, helios_rights
from bouquet.helios.services.mark_retour_read import mark_retour_read
from bouquet.helios.services.operator_actions import rollback, set_error
from bouquet.helios.services.post_transaction import post_transaction
from bouquet.helios.services.preflight import PreflightReport, preflight
from bouquet.helios.services.set_parameters import set_parameters
from bouquet.helios.services.submit_signed_file import submit_signed_file
from bouquet.helios.services.upload_pes import upload_pes

__all__ = [
    "HeliosRights",
    "PreflightReport",
    "assign_retour",
    "cancel_transaction",
    "helios_rights",
    "mark_retour_read",
    "post_transaction",
    "preflight",
    "rollback",
    "set_error",
    "set_parameters",
    "submit_signed_file",
    "upload_pes",
]
