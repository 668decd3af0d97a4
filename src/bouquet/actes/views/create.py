"""Creating acts: one through the form, several from a sheet and their PDFs."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bouquet.actes.choices import Status
from bouquet.actes.errors import ActesServiceError, ActValidationError, RightsError
from bouquet.actes.forms import FINDING_FIELDS, ActForm, BatchForm
from bouquet.actes.models import Classification
from bouquet.actes.protocol.constants import NATURES
from bouquet.actes.services.common import Document, actes_rights
from bouquet.actes.services.create_act import create_act
from bouquet.actes.services.create_act_batch import create_act_batch
from bouquet.actes.services.typology_defaults import typology_defaults
from bouquet.actes.views.common import actes_view, actor_of, done, require_actes

NO_CLASSIFICATION = (
    "La classification de votre collectivité n'a pas encore été reçue de la préfecture : "
    "l'équipe de l'opérateur peut la demander pour vous."
)


def _require_prepare(request: HttpRequest) -> None:
    require_actes(request, request.authority, write=True)
    if not actes_rights(actor_of(request), request.authority).can_prepare:
        raise PermissionDenied("Vous n'avez pas le droit de préparer des actes pour cette collectivité.")


def _add_findings(form: ActForm, error: ActValidationError) -> None:
    for finding in error.findings:
        name = FINDING_FIELDS.get(str(finding.code))
        if name == "main_typology" and "annexe" in finding.message.lower():
            name = "annex_typology"
        form.add_error(name if name in form.fields else None, finding.message)


def _create(request: HttpRequest, form: ActForm):
    data = form.cleaned_data
    annexes = data["annexes"]
    typologies = form.annex_typologies(request.POST)
    return create_act(
        authority=request.authority,
        actor=actor_of(request),
        nature=data["nature"],
        number=data["number"],
        subject=data["subject"],
        decision_date=data["decision_date"],
        classification=data["classification"],
        document=Document(data["main_document"].name, data["main_document"].read(), data["main_typology"]),
        annexes=[
            Document(upload.name, upload.read(), typology or None)
            for upload, typology in zip(annexes, typologies, strict=True)
        ],
        document_papier=data["document_papier"],
    )


def _natures(parsed) -> list[int]:
    return [n.code for n in parsed.natures] if parsed is not None else list(NATURES)


def _form_context(request: HttpRequest, form: ActForm, classification) -> dict:
    authority = request.authority
    defaults = typology_defaults(authority, classification.parsed if classification else None)
    return {
        "form": form,
        "classification": classification,
        "no_classification": NO_CLASSIFICATION if classification is None else "",
        "defaults_json": json.dumps({str(k): v for k, v in defaults.items()}),
        "natures_json": json.dumps({str(code): abbr for code, (abbr, _label) in NATURES.items()}),
        "departement": authority.departement,
        "siren": authority.siren,
        "can_transmit": actes_rights(actor_of(request), authority).can_transmit,
    }


@actes_view
@require_http_methods(["GET", "POST"])
def new_act(request: HttpRequest) -> HttpResponse:
    _require_prepare(request)
    classification = Classification.current_for(request.authority)
    parsed = classification.parsed if classification else None
    if request.method == "POST":
        form = ActForm(request.POST, request.FILES, classification=parsed)
        if form.is_valid():
            try:
                act = _create(request, form)
            except ActValidationError as exc:
                _add_findings(form, exc)
            except RightsError as exc:
                raise PermissionDenied(exc.message) from None
            except ActesServiceError as exc:
                form.add_error(None, exc.message)
            else:
                waiting = (
                    "il attend maintenant un agent télétransmetteur"
                    if act.status == Status.EN_ATTENTE_POSTE
                    else "il part vers la préfecture"
                )
                messages.success(request, f"L'acte {act.number} est enregistré ; {waiting}.")
                return done(request, reverse("actes:detail", args=[act.pk]))
    else:
        nature = next(iter(_natures(parsed)), None)
        defaults = typology_defaults(request.authority, parsed).get(nature, {}) if nature else {}
        form = ActForm(
            classification=parsed,
            initial={
                "nature": nature,
                "decision_date": timezone.localdate(),
                "main_typology": defaults.get("main"),
                "annex_typology": defaults.get("annex"),
            },
        )
    return render(request, "actes/new.html", _form_context(request, form, classification))


@actes_view
@require_http_methods(["GET", "POST"])
def batch(request: HttpRequest) -> HttpResponse:
    _require_prepare(request)
    form = BatchForm(request.POST or None, request.FILES or None)
    outcomes = None
    if request.method == "POST" and form.is_valid():
        try:
            outcomes = create_act_batch(
                authority=request.authority,
                actor=actor_of(request),
                rows=form.cleaned_data["sheet"],
                files=form.cleaned_data["files"],
            )
        except RightsError as exc:
            raise PermissionDenied(exc.message) from None
        form = BatchForm()
    context = {
        "form": form,
        "outcomes": outcomes,
        "created": sum(1 for o in outcomes if o.created) if outcomes else 0,
        "failed": sum(1 for o in outcomes if not o.created) if outcomes else 0,
        "has_classification": Classification.current_for(request.authority) is not None,
    }
    return render(request, "actes/batch.html", context)
