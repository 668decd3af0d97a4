"""Archive export of a consultation (zip), and the retention schedule (what is due for destruction)."""

import tempfile

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bouquet.marches.contracts.errors import RightsError
from bouquet.marches.contracts.retention import retention_schedule
from bouquet.marches.contracts.services.export_archive import export_archive, safe_name
from bouquet.marches.contracts.views.common import buyer_view, get_object, require_access


@buyer_view
@require_GET
def consultation_archive(request: HttpRequest, pk: int) -> HttpResponse:
    from bouquet.marches.models import Consultation

    consultation = get_object(request, Consultation.objects.all(), pk, write=True)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    try:
        export_archive(consultation=consultation, actor=request.user, out=out)
    except RightsError as exc:
        out.close()
        raise PermissionDenied(exc.message) from None
    out.seek(0)
    name = f"archive-{safe_name(consultation.reference)}-{timezone.localdate():%Y%m%d}.zip"
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")


@buyer_view
@require_GET
def retention(request: HttpRequest) -> HttpResponse:
    require_access(request, request.authority)
    today = timezone.localdate()
    items = retention_schedule(request.authority)
    show_all = request.GET.get("tout") == "1"
    due = [item for item in items if item.is_due(today)]
    return render(
        request,
        "marches_contracts/retention.html",
        {
            "items": items if show_all else due,
            "due_count": len(due),
            "total": len(items),
            "show_all": show_all,
            "today": today,
        },
    )
