"""The upload protocol spoken by ``deposit.js`` (JSON; pieces as raw bodies).

1. ``POST /depots/<consultation>/deposer/`` with ``{"files": [{"slot", "name", "size"}]}`` → the
   deposit, one upload address per file, the piece size;
2. ``POST`` each piece to its file's address, headers ``X-Upload-Offset`` (where it starts) and
   ``X-Chunk-Sha256`` (its SHA-256) → ``{"received": n}``; ``409`` with ``received`` when the server
   is elsewhere (resume from there);
3. ``GET .../etat/`` after a cut → bytes received per file;
4. the final step, which the company asked for before the upload began: the deposit's very last piece
   carries ``X-Deposit-Commit: 1`` and its answer holds ``commit`` (the timestamp, late or not, the
   acknowledgement's address), so that the deposit closes with its last byte; ``POST .../valider/``
   does the same on its own when that answer was lost.
"""

import json
import logging

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from bouquet.marches.bids.choices import EvidenceKind
from bouquet.marches.bids.errors import BidsError, DepositRefused, OffsetMismatch, RightsError
from bouquet.marches.bids.models import Deposit, DepositFile
from bouquet.marches.bids.pdf.common import local
from bouquet.marches.bids.services.commit_deposit import commit_deposit
from bouquet.marches.bids.services.deposit_start import FileSpec, start_deposit
from bouquet.marches.bids.services.receive_piece import receive_piece, refuse_piece
from bouquet.marches.bids.views.common import actor_of, company_deposit, company_view, json_error
from bouquet.marches.http import client_ip
from bouquet.marches.models import Consultation

logger = logging.getLogger(__name__)
SERVER_ERROR = "Erreur du serveur : ce morceau n'a pas été enregistré, il va être renvoyé."


def _file_json(deposit: Deposit, file: DepositFile) -> dict:
    return {
        "id": str(file.uuid),
        "name": file.name,
        "size": file.size,
        "received": file.received,
        "url": reverse("marches_bids:piece", args=[deposit.uuid, file.uuid]),
    }


def deposit_json(deposit: Deposit) -> dict:
    files = DepositFile.objects.filter(envelope__deposit=deposit).order_by("position")
    return {
        "deposit": str(deposit.uuid),
        "status": deposit.status,
        "chunk_size": settings.MARCHES_BIDS_CHUNK_SIZE,
        "files": [_file_json(deposit, f) for f in files],
        "status_url": reverse("marches_bids:deposit_status", args=[deposit.uuid]),
        "commit_url": reverse("marches_bids:commit", args=[deposit.uuid]),
        "page_url": reverse("marches_bids:deposit_detail", args=[deposit.uuid]),
    }


def _specs(request: HttpRequest) -> list[FileSpec]:
    try:
        payload = json.loads(request.body or b"{}")
        return [FileSpec(str(f["slot"]), str(f["name"]), f["size"]) for f in payload["files"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise DepositRefused("La demande de dépôt est mal formée ; rechargez la page.") from exc


def start(request: HttpRequest, pk: int) -> JsonResponse:
    """Called by ``deposit_page`` for POST: the company announces its files."""
    consultation = get_object_or_404(Consultation.objects.public().select_related("authority"), pk=pk)
    try:
        deposit = start_deposit(
            consultation=consultation,
            company=request.company,
            actor=actor_of(request),
            files=_specs(request),
            client_ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except RightsError as exc:
        return json_error(exc.message, 403)
    except BidsError as exc:
        return json_error(exc.message)
    return JsonResponse(deposit_json(deposit), status=201)


@company_view
@require_GET
def status(request: HttpRequest, uuid) -> JsonResponse:
    return JsonResponse(deposit_json(company_deposit(request, uuid)))


def _read_piece(request: HttpRequest) -> bytes:
    limit = settings.MARCHES_BIDS_CHUNK_SIZE
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = -1
    if declared <= 0 or declared > limit:
        raise DepositRefused("Taille de morceau invalide.")
    # request.read(), not request.body: pieces are larger than DATA_UPLOAD_MAX_MEMORY_SIZE on purpose.
    data = request.read(declared)
    if len(data) != declared:
        raise DepositRefused(
            "Le morceau n'est pas arrivé en entier (connexion interrompue) : il va être renvoyé."
        )
    return data


@company_view
@require_POST
def piece(request: HttpRequest, uuid, file_uuid) -> JsonResponse:
    deposit = company_deposit(request, uuid)
    file = DepositFile.objects.filter(envelope__deposit=deposit, uuid=file_uuid).first()
    if file is None:
        raise Http404
    try:
        offset = int(request.headers.get("X-Upload-Offset", ""))
    except ValueError:
        return json_error("Position du morceau absente.")
    try:
        data = _read_piece(request)
    except DepositRefused as exc:
        refuse_piece(deposit, file, exc.message, offset=offset)
        return json_error(exc.message, 422)
    try:
        receipt = receive_piece(
            deposit=deposit,
            file=file,
            offset=offset,
            data=data,
            checksum=request.headers.get("X-Chunk-Sha256", ""),
        )
    except OffsetMismatch as exc:
        return json_error("Reprise de l'envoi.", 409, received=exc.received)
    except DepositRefused as exc:
        return json_error(exc.message, 422)
    except Exception:
        logger.exception("piece %s of deposit %s", offset, deposit.uuid)
        refuse_piece(deposit, file, SERVER_ERROR, kind=EvidenceKind.ERROR, offset=offset)
        return json_error(SERVER_ERROR, 500)
    answer = {"received": receipt.received, "complete": receipt.complete, "sha256": receipt.sha256}
    if receipt.complete and request.headers.get("X-Deposit-Commit") == "1":
        # The last piece of the deposit, sent after the company's explicit validation: the deposit is
        # closed as soon as its last byte is in, without waiting for another request.
        try:
            answer["commit"] = _commit_json(commit_deposit(deposit=deposit, actor=actor_of(request)))
        except BidsError as exc:
            answer["commit_error"] = exc.message
    return JsonResponse(answer)


@company_view
@require_POST
def commit(request: HttpRequest, uuid) -> JsonResponse:
    deposit = company_deposit(request, uuid)
    try:
        deposit = commit_deposit(deposit=deposit, actor=actor_of(request))
    except RightsError as exc:
        return json_error(exc.message, 403)
    except BidsError as exc:
        return json_error(exc.message)
    return JsonResponse(_commit_json(deposit))


def _commit_json(deposit: Deposit) -> dict:
    return {
        "received_at": deposit.received_at.isoformat(),
        "received_at_text": local(deposit.received_at),
        "late": deposit.is_late,
        "number": deposit.number,
        "ack_url": reverse("marches_bids:ack_pdf", args=[deposit.uuid]),
        "redirect": reverse("marches_bids:deposit_detail", args=[deposit.uuid]),
    }
