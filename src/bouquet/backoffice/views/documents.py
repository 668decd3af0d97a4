"""The kit's editable texts and the operator settings the documents quote."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.backoffice.choices import DocumentKind
from bouquet.backoffice.documents.defaults import DEFAULT_TEMPLATES
from bouquet.backoffice.documents.kit import operator_settings, texts_for
from bouquet.backoffice.documents.placeholders import PLACEHOLDERS
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.forms import DocumentTemplateForm, OperatorSettingsForm
from bouquet.backoffice.services.document_templates import reset_document_template, save_document_template
from bouquet.backoffice.services.update_operator_settings import update_operator_settings
from bouquet.backoffice.views.common import can_edit, require_admin
from bouquet.core.access import operator_view
from bouquet.core.audit import Actor


def _kind(kind: str) -> DocumentKind:
    if kind not in DocumentKind.values:
        raise Http404
    return DocumentKind(kind)


@operator_view
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    texts = texts_for(request.staff.operator)
    rows = [(DocumentKind(kind), texts[kind][2]) for kind in DocumentKind.values]
    return render(request, "backoffice/templates.html", {"rows": rows, "can_edit": can_edit(request)})


@operator_view
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    title, body, edited = texts_for(request.staff.operator)[kind]
    form = DocumentTemplateForm(initial={"title": title, "body": body})
    if request.method == "POST":
        require_admin(request)
        form = DocumentTemplateForm(request.POST)
        if form.is_valid():
            try:
                save_document_template(
                    operator=request.staff.operator,
                    kind=kind,
                    actor=Actor.of_user(request.user),
                    **form.cleaned_data,
                )
            except BackofficeError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Modèle « {kind.label} » enregistré.")
                return redirect("backoffice:template_edit", kind=kind.value)
    context = {
        "kind": kind,
        "form": form,
        "edited": edited,
        "placeholders": PLACEHOLDERS.items(),
        "default_title": DEFAULT_TEMPLATES[kind][0],
        "can_edit": can_edit(request),
    }
    return render(request, "backoffice/template_edit.html", context)


@operator_view
@require_POST
def template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    require_admin(request)
    reset_document_template(operator=request.staff.operator, kind=kind, actor=Actor.of_user(request.user))
    messages.success(request, f"Le modèle « {kind.label} » reprend le texte d'origine.")
    return redirect("backoffice:template_edit", kind=kind.value)


@operator_view
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = operator_settings(request.staff.operator)
    form = OperatorSettingsForm(instance=current)
    if request.method == "POST":
        require_admin(request)
        form = OperatorSettingsForm(request.POST)
        if form.is_valid():
            update_operator_settings(
                operator=request.staff.operator, data=form.cleaned_data, actor=Actor.of_user(request.user)
            )
            messages.success(request, "Paramètres enregistrés : les prochains documents les reprendront.")
            return redirect("backoffice:settings")
    context = {
        "form": form,
        "saved": current.pk is not None,
        "current": current,
        "can_edit": can_edit(request),
    }
    return render(request, "backoffice/settings.html", context)
