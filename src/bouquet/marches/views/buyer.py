"""The buyer's pages: home (list), new consultation, a consultation's page, editing a draft."""

import importlib

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from bouquet.core.choices import Access, ModuleCode
from bouquet.marches.choices import Status
from bouquet.marches.errors import MarchesError
from bouquet.marches.forms import AnswerForm, ConsultationForm, DceUploadForm, LotForm, ReasonForm
from bouquet.marches.models import Consultation
from bouquet.marches.services.close_due import close_if_due
from bouquet.marches.services.common import NOT_SUBSCRIBED, is_subscribed
from bouquet.marches.services.edit_consultation import create_consultation, update_consultation
from bouquet.marches.services.publish_consultation import check_publication
from bouquet.marches.views.common import buyer_view, get_consultation, require_access, show_error
from bouquet.marches.workflow import TABLE, Event

PAGE_SIZE = 25


def yearly_fee(authority) -> object:
    """The back-office's yearly MARCHES fee for this authority, when that function exists."""
    try:
        fees = importlib.import_module("bouquet.backoffice.fees")
        return fees.yearly_fee(authority, ModuleCode.MARCHES, timezone.localdate().year)
    except Exception:  # noqa: BLE001 - optional, owned by another app: never break the home page
        return None


@buyer_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    access = request.marches_access = require_access(request, request.authority)
    queryset = Consultation.objects.for_tenant(request.authority)
    for due in queryset.due_for_closing():
        close_if_due(due)
    status = request.GET.get("etat", "")
    if status in Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    subscribed = is_subscribed(request.authority)
    return render(
        request,
        "marches/home.html",
        {
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "can_write": access == Access.WRITE,
            "subscribed": subscribed,
            "not_subscribed_message": NOT_SUBSCRIBED,
            "fee": yearly_fee(request.authority) if subscribed else None,
        },
    )


def _service_data(form: ConsultationForm) -> dict:
    return dict(form.cleaned_data)


@buyer_view
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    require_access(request, request.authority, write=True)
    initial = {"buyer_siret": _default_siret(request.authority), "execution_place": request.authority.name}
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = create_consultation(
                authority=request.authority, actor=request.user, data=_service_data(form)
            )
        except MarchesError as error:
            show_error(request, error, form)
        else:
            messages.success(request, "Consultation créée. Ajoutez les lots et le DCE, puis publiez-la.")
            return redirect("marches:detail", consultation.pk)
    return render(request, "marches/edit.html", {"form": form, "consultation": None})


def _default_siret(authority) -> str:
    siret = authority.sirets.order_by("siret").values_list("siret", flat=True).first()
    return siret or ""


@buyer_view
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    if not consultation.is_editable:
        messages.error(request, "La consultation est publiée : publiez plutôt une modification.")
        return redirect("marches:modify", consultation.pk)
    form = ConsultationForm(request.POST or None, initial=ConsultationForm.initial_for(consultation))
    if request.method == "POST" and form.is_valid():
        try:
            update_consultation(consultation=consultation, actor=request.user, data=_service_data(form))
        except MarchesError as error:
            show_error(request, error, form)
        else:
            messages.success(request, "Brouillon enregistré.")
            return redirect("marches:detail", consultation.pk)
    return render(request, "marches/edit.html", {"form": form, "consultation": consultation})


@buyer_view
@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk)
    close_if_due(consultation)
    can_write = request.marches_access == Access.WRITE
    context = {
        "consultation": consultation,
        "can_write": can_write,
        "lots": consultation.lots.all(),
        "files": consultation.dce_files.all().order_by("name", "-version"),
        "versions": consultation.notice_versions.all(),
        "questions": consultation.questions.select_related("company"),
        "events": consultation.events.order_by("-at", "-id")[:50],
        "download_count": consultation.downloads.count(),
        "registered_count": consultation.downloaders.filter(unsubscribed_at__isnull=True).count(),
        "relaunches": consultation.relaunches.all(),
        "lot_form": LotForm(),
        "upload_form": DceUploadForm(),
        "reason_form": ReasonForm(),
        "answer_form": AnswerForm(),
        "subscribed": is_subscribed(consultation.authority),
        "not_subscribed_message": NOT_SUBSCRIBED,
        "check": check_publication(consultation) if consultation.is_editable else None,
        "can_cancel": consultation.status in TABLE[Event.CANCEL].sources,
        "can_declare_unsuccessful": consultation.status in TABLE[Event.DECLARE_UNSUCCESSFUL].sources,
    }
    return render(request, "marches/detail.html", context)
