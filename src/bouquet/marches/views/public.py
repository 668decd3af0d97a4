"""Public pages, without an account: search, a consultation, its DCE (each document and the zip),
the optional registration for alerts, and unsubscribing.

Drafts never show (404). Every download is written to the register before the bytes are sent.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.marches.choices import Status
from bouquet.marches.companies import company_for
from bouquet.marches.dce_zip import stream_zip
from bouquet.marches.errors import MarchesError
from bouquet.marches.forms import QuestionForm, RegisterForm, SearchForm
from bouquet.marches.http import client_ip
from bouquet.marches.models import Consultation, Downloader
from bouquet.marches.services.downloads import record_download, register_downloader, unsubscribe
from bouquet.marches.thresholds import euros

PAGE_SIZE = 20
EMAIL_SESSION_KEY = "marches_downloader_email"


def public_consultation(pk: int) -> Consultation:
    consultation = Consultation.objects.public().select_related("authority").filter(pk=pk).first()
    if consultation is None:
        raise Http404("Cette consultation n'existe pas ou n'est pas publiée.")
    return consultation


def _search(data: dict):
    queryset = Consultation.objects.public().select_related("authority")
    if data.get("state") != "all":
        queryset = queryset.filter(status=Status.PUBLISHED, bid_deadline__gt=timezone.now())
    queryset = queryset.search_text(data.get("q") or "").with_cpv(data.get("cpv") or "")
    if buyer := (data.get("buyer") or "").strip():
        queryset = queryset.filter(authority__name__icontains=buyer)
    for name in ("kind", "procedure"):
        if data.get(name):
            queryset = queryset.filter(**{name: data[name]})
    if data.get("published_from"):
        queryset = queryset.filter(published_at__date__gte=data["published_from"])
    if data.get("deadline_until"):
        queryset = queryset.filter(bid_deadline__date__lte=data["deadline_until"])
    return queryset.real().order_by("bid_deadline", "id")


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_search(data), PAGE_SIZE).get_page(request.GET.get("page"))
    tests = Consultation.objects.public().filter(is_test=True, status=Status.PUBLISHED)
    context = {"form": form, "page": page, "tests": tests, "company": company_for(request.user)}
    return render(request, "marches/public/search.html", context)


@require_GET
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    item = public_consultation(pk)
    company = company_for(request.user)
    context = {
        "consultation": item,
        "lots": item.lots.all(),
        "files": item.dce_files.filter(replaced_at__isnull=True).order_by("name"),
        "total_size": sum(f.size for f in item.dce_files.filter(replaced_at__isnull=True)),
        "versions": item.notice_versions.all(),
        "answers": item.questions.filter(answered_at__isnull=False).order_by("answered_at"),
        "company": company,
        "my_questions": item.questions.filter(company=company).order_by("asked_at") if company else [],
        "register_form": RegisterForm(initial={"email": request.session.get(EMAIL_SESSION_KEY, "")}),
        "question_form": QuestionForm(),
        "accepts_questions": item.accepts_questions(),
        "open_for_bids": item.is_open_for_bids(),
        "amount": euros(item.estimated_amount),
    }
    return render(request, "marches/public/consultation.html", context)


def _log(request: HttpRequest, item: Consultation, dce_file) -> None:
    record_download(
        consultation=item,
        dce_file=dce_file,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        user=request.user,
        email=request.session.get(EMAIL_SESSION_KEY, ""),
    )


@require_GET
def dce_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    item = public_consultation(pk)
    dce_file = item.dce_files.filter(pk=file_pk, replaced_at__isnull=True).first()
    if dce_file is None:
        raise Http404("Ce document n'existe pas ou a été remplacé par une nouvelle version.")
    _log(request, item, dce_file)
    return FileResponse(
        dce_file.open(), as_attachment=True, filename=dce_file.name, content_type=dce_file.mime_type
    )


@require_GET
def dce_zip(request: HttpRequest, pk: int) -> HttpResponse:
    item = public_consultation(pk)
    files = list(item.dce_files.filter(replaced_at__isnull=True).order_by("name"))
    if not files:
        raise Http404("Cette consultation n'a pas de document à télécharger.")
    _log(request, item, None)
    response = StreamingHttpResponse(stream_zip(files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="DCE-{_ascii(item.reference)}.zip"'
    return response


def _ascii(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in text)


@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    item = public_consultation(pk)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cette adresse e-mail n'est pas valide.")
        return redirect("marches_public:consultation", item.pk)
    try:
        register_downloader(consultation=item, email=form.cleaned_data["email"], user=request.user)
    except MarchesError as error:
        messages.error(request, error.message)
    else:
        request.session[EMAIL_SESSION_KEY] = form.cleaned_data["email"].strip().lower()
        messages.success(
            request, "C'est noté : vous recevrez par e-mail les modifications et les réponses aux questions."
        )
    return redirect("marches_public:consultation", item.pk)


@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (mail scanners follow links); POST unsubscribes."""
    if request.method == "POST":
        registration = unsubscribe(token)
        if registration is None:
            raise Http404
        return render(
            request, "marches/public/unsubscribed.html", {"registration": registration, "done": True}
        )
    registration = Downloader.objects.filter(token=token).select_related("consultation").first()
    if registration is None:
        raise Http404
    return render(request, "marches/public/unsubscribed.html", {"registration": registration, "done": False})
