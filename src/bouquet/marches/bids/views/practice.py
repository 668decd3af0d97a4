"""The practice space: a browser and connection check anyone can run, and the test consultations
where a company practises a real deposit (same pipeline, acknowledgement marked "entraînement")."""

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from bouquet.marches.bids import clock
from bouquet.marches.bids.views.common import json_error
from bouquet.marches.choices import Status
from bouquet.marches.models import Consultation

#: The connection test sends at most this much per request; nothing is kept.
PROBE_LIMIT = 1024 * 1024


@require_GET
def practice(request: HttpRequest) -> HttpResponse:
    tests = (
        Consultation.objects.public()
        .filter(is_test=True, status=Status.PUBLISHED)
        .select_related("authority")
    )
    return render(request, "marches_bids/practice.html", {"tests": tests, "probe_size": PROBE_LIMIT})


@require_GET
def server_time(request: HttpRequest) -> JsonResponse:
    """The server's clock, the one that timestamps deposits (the page shows the difference)."""
    return JsonResponse({"now": clock.now().isoformat(timespec="milliseconds")})


@require_POST
def probe(request: HttpRequest) -> JsonResponse:
    """Receive a test piece, give back its SHA-256: the browser compares it with its own."""
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size <= 0 or size > PROBE_LIMIT:
        return json_error("Taille du test invalide.")
    data = request.read(size)
    return JsonResponse(
        {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "now": clock.now().isoformat(timespec="milliseconds"),
        }
    )
