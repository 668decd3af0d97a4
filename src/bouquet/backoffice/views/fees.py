"""The fee grid (dated lines) and the year's fee calls, with their exports."""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.backoffice import exports
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.fees import ZERO, compute_fee_calls, grid_in_force
from bouquet.backoffice.forms import FeeRuleForm
from bouquet.backoffice.models import FeeRule
from bouquet.backoffice.services.issue_fee_calls import issue_fee_calls
from bouquet.backoffice.services.save_fee_rule import save_fee_rule
from bouquet.backoffice.views.common import can_edit, require_admin, served, year_param
from bouquet.core.access import operator_view
from bouquet.core.audit import Actor


def _applied_ids(operator, year: int) -> set[int]:
    """Lines in force on 1 January ``year`` that no newer line for the same service and target replaces."""
    latest: dict[tuple, FeeRule] = {}
    for rule in grid_in_force(operator.pk, date(year, 1, 1)):
        key = (rule.module_id, rule.kind, rule.min_population, rule.max_population)
        if key not in latest or (rule.valid_from, rule.pk) > (latest[key].valid_from, latest[key].pk):
            latest[key] = rule
    return {rule.pk for rule in latest.values()}


def _save(request: HttpRequest, form: FeeRuleForm, rule: FeeRule | None) -> bool:
    if not form.is_valid():
        return False
    try:
        save_fee_rule(
            operator=request.staff.operator,
            data=form.cleaned_data,
            actor=Actor.of_user(request.user),
            rule=rule,
        )
    except BackofficeError as exc:
        form.add_error(None, exc.message)
        return False
    messages.success(request, "Grille des cotisations enregistrée.")
    return True


@operator_view
@require_http_methods(["GET", "POST"])
def fee_grid(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    form = FeeRuleForm(initial={"valid_from": date(year + 1, 1, 1)})
    if request.method == "POST":
        require_admin(request)
        form = FeeRuleForm(request.POST)
        if _save(request, form, None):
            return redirect(f"{reverse('backoffice:fee_grid')}?annee={year}")
    operator = request.staff.operator
    rules = FeeRule.objects.filter(operator=operator).select_related("module")
    context = {
        "rules": rules,
        "applied": _applied_ids(operator, year),
        "year": year,
        "form": form,
        "can_edit": can_edit(request),
    }
    return render(request, "backoffice/fee_grid.html", context)


@operator_view
@require_http_methods(["GET", "POST"])
def fee_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(FeeRule, pk=pk, operator=request.staff.operator)
    form = FeeRuleForm(instance=rule)
    if request.method == "POST":
        require_admin(request)
        form = FeeRuleForm(request.POST, instance=FeeRule.objects.get(pk=rule.pk))
        if _save(request, form, rule):
            return redirect("backoffice:fee_grid")
    return render(
        request, "backoffice/fee_rule.html", {"rule": rule, "form": form, "can_edit": can_edit(request)}
    )


def _module_codes(fees) -> list[str]:
    return sorted({line.module_code for fee in fees for line in fee.lines})


@operator_view
@require_GET
def fee_calls(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    fees = compute_fee_calls(request.staff.operator, year, served(request))
    context = {
        "year": year,
        "fees": fees,
        "module_codes": _module_codes(fees),
        "total": sum((fee.total for fee in fees), ZERO),
        "issued_total": sum((fee.issued.amount for fee in fees if fee.issued), ZERO),
        "to_issue": len(
            [fee for fee in fees if (fee.issued is None and fee.total > 0) or fee.changed_since_issue]
        ),
        "can_edit": can_edit(request),
    }
    return render(request, "backoffice/fee_calls.html", context)


@operator_view
@require_POST
def fee_calls_issue(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    year = year_param(request)
    result = issue_fee_calls(
        operator=request.staff.operator,
        year=year,
        actor=Actor.of_user(request.user),
        authorities=served(request),
    )
    messages.success(
        request,
        f"Appels de cotisation {year} : {result.created} émis, {result.updated} mis à jour, "
        f"{result.unchanged} inchangés.",
    )
    return redirect(f"{reverse('backoffice:fee_calls')}?annee={year}")


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    year = year_param(request)
    fees = compute_fee_calls(request.staff.operator, year, served(request))
    table = exports.fee_call_table(fees, year, _module_codes(fees))
    return exports.response(table, f"appels-de-cotisation-{year}", fmt)


@operator_view
@require_GET
def fee_calls_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@operator_view
@require_GET
def fee_calls_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")
