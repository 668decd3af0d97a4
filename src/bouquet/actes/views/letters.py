"""The préfecture's letters: the inbox of the current authority, and the answers to them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from bouquet.actes.errors import ActesServiceError, RightsError
from bouquet.actes.forms import AnswerForm
from bouquet.actes.models import Transaction
from bouquet.actes.services.answer_letter import answer_letter
from bouquet.actes.services.common import Document
from bouquet.actes.views.common import (
    PAGE_SIZE,
    RECEIVED_TYPES,
    actes_view,
    actor_of,
    detail_url,
    done,
    get_transaction,
)
from bouquet.actes.views.transactions import detail_context


@actes_view
@require_GET
def letter_list(request: HttpRequest) -> HttpResponse:
    """Unread first, then newest; a few hundred letters a year at most, so a plain paginator."""
    letters = (
        Transaction.objects.for_tenant(request.authority)
        .filter(type__in=RECEIVED_TYPES, response_kind__isnull=True)
        .select_related("related")
        .order_by("is_read", "-created_at", "-id")
    )
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "actes/letters.html", {"page": page})


def _document(upload) -> Document:
    return Document(upload.name, upload.read())


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_transaction(request, pk, write=True)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            response = answer_letter(
                letter=letter,
                actor=actor_of(request),
                kind=form.cleaned_data["kind"],
                document=_document(form.cleaned_data["document"]),
                annexes=[_document(upload) for upload in form.cleaned_data["annexes"]],
            )
        except RightsError as exc:
            raise PermissionDenied(exc.message) from None
        except ActesServiceError as exc:
            form.add_error("document", exc.message)
        else:
            messages.success(request, "Votre réponse est déposée ; elle part vers la préfecture.")
            return done(request, detail_url(response.related or letter))
    context = detail_context(request, letter)
    for option in context["answers"]:  # the errors go back into the form that was sent
        if str(option["kind"]) == form.data.get("kind"):
            option["form"] = form
    return render(request, "actes/detail.html", context)
