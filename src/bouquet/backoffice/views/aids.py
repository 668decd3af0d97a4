"""Aids: the rules, the members eligible to each, the payments, the export."""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.backoffice import exports
from bouquet.backoffice.eligibility import aid_rows
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.forms import DATE, AidPaymentForm, AidRuleForm
from bouquet.backoffice.models import AidRule
from bouquet.backoffice.money import euros
from bouquet.backoffice.services.aids import record_aid_payment, save_aid_rule
from bouquet.backoffice.views.common import can_edit, require_admin, served
from bouquet.core.access import operator_view
from bouquet.core.audit import Actor


def _on(request: HttpRequest) -> date:
    """``?au=2026-05-01``: the date eligibility is judged on (today by default)."""
    try:
        return date.fromisoformat(request.GET.get("au", ""))
    except ValueError:
        return timezone.localdate()


def _aid(request: HttpRequest, pk: int) -> AidRule:
    return get_object_or_404(
        AidRule.objects.select_related("required_module"), pk=pk, operator=request.staff.operator
    )


def _save(request: HttpRequest, form: AidRuleForm, rule: AidRule | None) -> AidRule | None:
    if not form.is_valid():
        return None
    try:
        return save_aid_rule(
            operator=request.staff.operator,
            data=form.cleaned_data,
            actor=Actor.of_user(request.user),
            rule=rule,
        )
    except BackofficeError as exc:
        form.add_error(None, exc.message)
        return None


@operator_view
@require_http_methods(["GET", "POST"])
def aid_list(request: HttpRequest) -> HttpResponse:
    form = AidRuleForm(initial={"valid_from": timezone.localdate()})
    if request.method == "POST":
        require_admin(request)
        form = AidRuleForm(request.POST)
        if aid := _save(request, form, None):
            messages.success(request, f"Aide « {aid.name} » créée.")
            return redirect("backoffice:aid", pk=aid.pk)
    aids = AidRule.objects.filter(operator=request.staff.operator).select_related("required_module")
    return render(
        request, "backoffice/aids.html", {"aids": aids, "form": form, "can_edit": can_edit(request)}
    )


@operator_view
@require_GET
def aid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    aid = _aid(request, pk)
    on = _on(request)
    rows = aid_rows(aid, on, served(request))
    context = {
        "aid": aid,
        "on": on,
        "on_widget": DATE.format_value(on),
        "rows": rows,
        "eligible_count": len([r for r in rows if r.eligible]),
        "unpaid_count": len([r for r in rows if r.eligible and not r.payments]),
        "paid_total": sum((r.paid for r in rows), 0),
        "payment_form": AidPaymentForm(
            served=served(request), initial={"paid_on": timezone.localdate(), "amount": aid.amount}
        ),
        "can_edit": can_edit(request),
    }
    return render(request, "backoffice/aid.html", context)


@operator_view
@require_http_methods(["GET", "POST"])
def aid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    aid = _aid(request, pk)
    form = AidRuleForm(instance=aid)
    if request.method == "POST":
        require_admin(request)
        form = AidRuleForm(request.POST, instance=AidRule.objects.get(pk=aid.pk))
        if _save(request, form, aid):
            messages.success(request, "Aide mise à jour.")
            return redirect("backoffice:aid", pk=aid.pk)
    return render(
        request, "backoffice/aid_edit.html", {"aid": aid, "form": form, "can_edit": can_edit(request)}
    )


@operator_view
@require_POST
def aid_payment(request: HttpRequest, pk: int) -> HttpResponse:
    aid = _aid(request, pk)
    require_admin(request)
    form = AidPaymentForm(request.POST, served=served(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = record_aid_payment(
                aid=aid,
                authority=data["authority"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                reference=data["reference"],
                note=data["note"],
                actor=Actor.of_user(request.user),
            )
        except BackofficeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"Versement de {euros(payment.amount)} à {payment.authority.name} enregistré."
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("backoffice:aid", pk=aid.pk)


def _export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    aid = _aid(request, pk)
    on = _on(request)
    table = exports.aid_table(aid_rows(aid, on, served(request)), aid.name, on)
    return exports.response(table, f"aide-{aid.pk}-{on:%Y-%m-%d}", fmt)


@operator_view
@require_GET
def aid_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "csv")


@operator_view
@require_GET
def aid_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")
