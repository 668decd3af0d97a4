"""Public open-data files of the operator (anonymous): the DECP dataset in JSON and XML, and the
buyer profile declaration CSV, ready to be referenced from data.gouv.fr."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from bouquet.core.models import Operator
from bouquet.marches.contracts.models import Contract
from bouquet.marches.contracts.opendata import (
    file_names,
    operator_dataset,
    profile_declarations,
)
from bouquet.marches.decp import build_dpa_csv, build_json, build_xml


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any re-user may fetch it
    return response


@require_GET
def opendata_home(request: HttpRequest) -> HttpResponse:
    operators = []
    for operator in Operator.objects.order_by("pk"):
        operators.append(
            {"operator": operator, "count": Contract.objects.of_operator(operator).published().count()}
        )
    return render(request, "marches_contracts/opendata.html", {"operators": operators})


@require_GET
def opendata_json(request: HttpRequest, operator_id: int) -> HttpResponse:
    operator = get_object_or_404(Operator, pk=operator_id)
    data = build_json(operator_dataset(operator))
    return _download(data, "application/json; charset=utf-8", file_names(operator)["json"])


@require_GET
def opendata_xml(request: HttpRequest, operator_id: int) -> HttpResponse:
    operator = get_object_or_404(Operator, pk=operator_id)
    data = build_xml(operator_dataset(operator))
    return _download(data, "application/xml; charset=utf-8", file_names(operator)["xml"])


@require_GET
def opendata_dpa(request: HttpRequest, operator_id: int) -> HttpResponse:
    operator = get_object_or_404(Operator, pk=operator_id)
    data = build_dpa_csv(profile_declarations(operator))
    return _download(data, "text/csv; charset=utf-8", file_names(operator)["dpa_csv"])


__all__ = ["opendata_dpa", "opendata_home", "opendata_json", "opendata_xml"]
