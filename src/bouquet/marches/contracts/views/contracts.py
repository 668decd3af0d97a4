"""The buyer's contract pages: list, detail, essential data form, DECP preview, publication,
modifications (avenants), end of execution."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.core.choices import Access
from bouquet.marches.contracts.errors import ContractError, DecpNotPublishable, IncompleteData, RightsError
from bouquet.marches.contracts.forms import ContractForm, ExecutionEndForm, ModificationForm
from bouquet.marches.contracts.models import Contract
from bouquet.marches.contracts.records import build_marche, decp_required, missing_fields, threshold_for
from bouquet.marches.contracts.services.add_modification import add_modification
from bouquet.marches.contracts.services.complete_contract import complete_contract, set_execution_end
from bouquet.marches.contracts.services.publish_contract import check_contract, publish_contract
from bouquet.marches.contracts.views.common import buyer_view, get_contract, require_access
from bouquet.marches.decp import Dataset, Marche, build_json, build_xml, validate_dataset
from bouquet.marches.decp.mapping import from_json

PAGE_SIZE = 50


@buyer_view
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    access = require_access(request, request.authority)
    contracts = (
        Contract.objects.for_tenant(request.authority)
        .select_related("consultation", "lot")
        .order_by("-notified_on", "-id")[:PAGE_SIZE]
    )
    rows = [
        {"contract": c, "decp_required": decp_required(c), "missing": missing_fields(c)} for c in contracts
    ]
    return render(request, "marches_contracts/list.html", {"rows": rows, "can_write": access == Access.WRITE})


def _detail_context(request: HttpRequest, contract: Contract) -> dict:
    return {
        "contract": contract,
        "modifications": contract.modifications.all(),
        "decp_required": decp_required(contract),
        "threshold": threshold_for(contract),
        "missing": missing_fields(contract),
        "can_write": request.can_write,
        "end_form": ExecutionEndForm(initial={"execution_ended_on": contract.execution_ended_on}),
    }


@buyer_view
@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract(request, pk)
    return render(request, "marches_contracts/detail.html", _detail_context(request, contract))


@buyer_view
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract(request, pk, write=True)
    if contract.is_published:
        messages.info(
            request, "Les données essentielles sont publiées : ajoutez une modification pour ce qui change."
        )
        return redirect("marches_contracts:detail", contract.pk)
    form = ContractForm(request.POST or None, initial=ContractForm.initial_from(contract))
    if request.method == "POST" and form.is_valid():
        try:
            complete_contract(contract=contract, actor=request.user, data=form.service_data())
        except RightsError as exc:
            messages.error(request, exc.message)
        except ContractError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, "Les données essentielles sont enregistrées. Vérifiez-les puis publiez-les."
            )
            return redirect("marches_contracts:preview", contract.pk)
    return render(request, "marches_contracts/edit.html", {"contract": contract, "form": form})


def _files(record) -> tuple[str, str]:
    dataset = Dataset(marches=(record,))
    return build_json(dataset).decode("utf-8"), build_xml(dataset).decode("utf-8")


@buyer_view
@require_GET
def contract_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The DECP record with the verdict of both official schemas and the rules, errors explained:
    as it would be published today, or as it was published (modifications included)."""
    contract = get_contract(request, pk)
    context = {"contract": contract, "decp_required": decp_required(contract), "can_write": request.can_write}
    if contract.is_published:
        record = from_json(Marche, contract.published_record, contract.decp_id)
        context["verdict"] = validate_dataset(Dataset(marches=(record,)))
    else:
        today = timezone.localdate()
        try:
            context["verdict"] = check_contract(contract, today)
        except IncompleteData as exc:
            context["missing"] = exc.missing
            return render(request, "marches_contracts/preview.html", context)
        record = build_marche(contract, published_on=today)
    context["json_text"], context["xml_text"] = _files(record)
    return render(request, "marches_contracts/preview.html", context)


@buyer_view
@require_POST
def contract_publish(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract(request, pk, write=True)
    try:
        publish_contract(contract=contract, actor=request.user)
    except DecpNotPublishable as exc:
        messages.error(request, exc.message)
        return render(
            request,
            "marches_contracts/preview.html",
            {"contract": contract, "verdict": exc.verdict, "decp_required": True, "can_write": True},
            status=422,
        )
    except (ContractError, RightsError) as exc:
        messages.error(request, exc.message)
        return redirect("marches_contracts:preview", contract.pk)
    messages.success(
        request,
        "Les données essentielles sont publiées : "
        "elles figurent dans le jeu de données ouvert de l'opérateur.",
    )
    return redirect("marches_contracts:detail", contract.pk)


@buyer_view
@require_http_methods(["GET", "POST"])
def modification_new(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract(request, pk, write=True)
    form = ModificationForm(request.POST or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        try:
            add_modification(contract=contract, actor=request.user, **form.cleaned_data)
        except DecpNotPublishable as exc:
            form.add_error(None, exc.message)
            verdict = exc.verdict
        except (ContractError, RightsError) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "La modification est enregistrée.")
            return redirect("marches_contracts:detail", contract.pk)
    return render(
        request,
        "marches_contracts/modification.html",
        {"contract": contract, "form": form, "verdict": verdict},
    )


@buyer_view
@require_POST
def execution_end(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract(request, pk, write=True)
    form = ExecutionEndForm(request.POST)
    if form.is_valid():
        try:
            set_execution_end(
                contract=contract, actor=request.user, ended_on=form.cleaned_data["execution_ended_on"]
            )
        except (ContractError, RightsError) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "La fin d'exécution est enregistrée.")
    else:
        messages.error(request, "La date de fin d'exécution n'est pas valide.")
    return redirect("marches_contracts:detail", contract.pk)
