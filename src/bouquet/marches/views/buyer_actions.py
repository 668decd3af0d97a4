"""What a buyer does to a consultation: publish, publish a modification, cancel, declare it
unsuccessful, relaunch it, answer questions; and the download register."""

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.marches.errors import (
    InvalidData,
    MarchesError,
    PublicationBlocked,
    PublicationWarnings,
)
from bouquet.marches.forms import AnswerForm, ModificationForm, ReasonForm
from bouquet.marches.services.common import NOT_SUBSCRIBED, is_subscribed
from bouquet.marches.services.end_consultation import cancel_consultation, declare_unsuccessful
from bouquet.marches.services.modify_consultation import Modification, modify_consultation
from bouquet.marches.services.publish_consultation import check_publication, publish_consultation
from bouquet.marches.services.questions import answer_question
from bouquet.marches.services.relaunch_consultation import relaunch_consultation
from bouquet.marches.views.common import back_to_detail, buyer_view, get_consultation, show_error


@buyer_view
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    if request.method == "GET" and not consultation.is_editable:
        return back_to_detail(consultation)
    if request.method == "POST":
        try:
            publish_consultation(
                consultation=consultation,
                actor=request.user,
                confirm_warnings=bool(request.POST.get("confirm")),
            )
        except PublicationWarnings as warning:
            messages.error(request, "Cochez la case de confirmation pour publier malgré les avertissements.")
            return render(request, "marches/publish.html", _publish_context(consultation, warning.warnings))
        except PublicationBlocked as blocked:
            for problem in blocked.problems:
                messages.error(request, problem)
        except MarchesError as error:
            show_error(request, error)
        else:
            messages.success(request, "La consultation est publiée : elle est visible de tous.")
            return back_to_detail(consultation)
    return render(request, "marches/publish.html", _publish_context(consultation))


def _publish_context(consultation, warnings=None) -> dict:
    check = check_publication(consultation)
    return {
        "consultation": consultation,
        "check": check,
        "warnings": warnings if warnings is not None else check.warnings,
        "subscribed": is_subscribed(consultation.authority),
        "not_subscribed_message": NOT_SUBSCRIBED,
    }


@buyer_view
@require_http_methods(["GET", "POST"])
def modify(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    current = list(consultation.dce_files.filter(replaced_at__isnull=True))
    initial = {"notice_text": consultation.notice_text}
    for name in ("bid_deadline", "question_deadline"):
        if getattr(consultation, name):
            initial[name] = timezone.localtime(getattr(consultation, name))
    form = ModificationForm(
        request.POST or None, request.FILES or None, current_files=current, initial=initial
    )
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = Modification(
            summary=data["summary"],
            notice_text=data["notice_text"] if data["notice_text"] else None,
            bid_deadline=data["bid_deadline"],
            question_deadline=data["question_deadline"],
            uploads=tuple(data["files"]),
            withdrawn=tuple(data["withdrawn"]),
        )
        try:
            version = modify_consultation(
                consultation=consultation,
                actor=request.user,
                change=change,
                confirm_warnings=data["confirm_warnings"],
            )
        except PublicationWarnings as warning:
            warnings = warning.warnings
            messages.error(request, "Cochez la case de confirmation pour publier malgré les avertissements.")
        except PublicationBlocked as blocked:
            for problem in blocked.problems:
                messages.error(request, problem)
        except MarchesError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                f"Modification publiée (version {consultation.version}) ; "
                f"{version.notified_count} entreprise(s) inscrite(s) prévenue(s) par e-mail.",
            )
            return back_to_detail(consultation)
    context = {"consultation": consultation, "form": form, "warnings": warnings, "current": current}
    return render(request, "marches/modify.html", context)


def _reason_action(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif.")
        return back_to_detail(consultation)
    try:
        service(consultation=consultation, actor=request.user, reason=form.cleaned_data["reason"])
    except MarchesError as error:
        show_error(request, error)
    else:
        messages.success(request, done)
    return back_to_detail(consultation)


@buyer_view
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(request, pk, cancel_consultation, "La consultation est annulée (sans suite).")


@buyer_view
@require_POST
def unsuccessful(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        declare_unsuccessful,
        "La consultation est déclarée infructueuse : vous pouvez la relancer.",
    )


@buyer_view
@require_POST
def relaunch(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    try:
        new = relaunch_consultation(consultation=consultation, actor=request.user)
    except MarchesError as error:
        show_error(request, error)
        return back_to_detail(consultation)
    messages.success(
        request,
        f"Nouvelle consultation {new.reference} créée avec les mêmes lots et documents : "
        "fixez les nouvelles dates puis publiez-la.",
    )
    return redirect("marches:detail", new.pk)


@buyer_view
@require_POST
def answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    consultation = get_consultation(request, pk, write=True)
    question = consultation.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidData("Écrivez la réponse.")
        answer_question(question=question, actor=request.user, answer=form.cleaned_data["answer"])
    except MarchesError as error:
        show_error(request, error)
    else:
        messages.success(request, "Réponse publiée et envoyée aux entreprises inscrites.")
    return back_to_detail(consultation)


@buyer_view
@require_GET
def downloads(request: HttpRequest, pk: int) -> HttpResponse:
    """The register of withdrawals (registre des retraits), on screen or as CSV."""
    consultation = get_consultation(request, pk)
    rows = consultation.downloads.select_related("file", "company").order_by("-at", "-id")
    if request.GET.get("format") == "csv":
        return _csv(consultation, rows)
    registered = consultation.downloaders.select_related("company").order_by("created_at")
    return render(
        request,
        "marches/downloads.html",
        {"consultation": consultation, "rows": rows[:500], "total": rows.count(), "registered": registered},
    )


def _cell(value) -> str:
    """No spreadsheet formula from user-typed text (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


def _document(row) -> str:
    if row.is_archive:
        return "DCE complet (zip)"
    return f"{row.file.name} v{row.file.version}" if row.file else ""


def _csv(consultation, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="retraits-{consultation.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["date", "adresse IP", "document", "version", "entreprise", "SIRET", "courriel"])
    for row in rows.iterator():
        company = row.company
        values = [
            timezone.localtime(row.at).strftime("%d/%m/%Y %H:%M:%S"),
            row.ip or "",
            _document(row),
            row.version,
            company.name if company else "",
            company.siret if company else "",
            row.email,
        ]
        writer.writerow([_cell(value) for value in values])
    return response
