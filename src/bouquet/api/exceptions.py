"""Every API error as ``{"detail": "<French message>", "code": "<stable code>"}``.

Input errors add ``errors`` (field → messages); the ACTES business rules add ``findings``; a refused
PES adds ``findings`` too (code, severity, message, line).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from bouquet.actes.errors import (
    ActesServiceError,
    ActValidationError,
    ConventionError,
    RightsError,
    WorkflowError,
)
from bouquet.helios import errors as helios_errors

__all__ = ["exception_handler", "finding_field"]

_FIELD_PREFIXES = {
    "numero_interne": "number",
    "objet": "subject",
    "date": "decision_date",
    "nature": "nature",
    "classification": "classification",
    "document": "document",
    "annexe": "annexes",
    "typologie": "typologies",
}


def finding_field(code: str) -> str:
    """The input field a finding is about (``non_field_errors`` for the whole act)."""
    return next((f for p, f in _FIELD_PREFIXES.items() if code.startswith(p)), "non_field_errors")


def _service_error(exc: ActesServiceError) -> Response:
    if isinstance(exc, ActValidationError):
        findings = [
            {"code": str(f.code), "field": finding_field(str(f.code)), "message": f.message}
            for f in exc.findings
        ]
        errors: dict[str, list[str]] = {}
        for finding in findings:
            errors.setdefault(finding["field"], []).append(finding["message"])
        body = {"detail": exc.message, "code": "act_invalid", "errors": errors, "findings": findings}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RightsError):
        return Response({"detail": exc.message, "code": "forbidden"}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, WorkflowError):
        return Response({"detail": exc.message, "code": "conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ConventionError):
        return Response({"detail": exc.message, "code": "no_convention"}, status=status.HTTP_403_FORBIDDEN)
    return Response({"detail": exc.message, "code": "refused"}, status=status.HTTP_400_BAD_REQUEST)


def _helios_error(exc: helios_errors.HeliosServiceError) -> Response:
    body = {"detail": exc.message, "code": exc.code}
    if isinstance(exc, helios_errors.HeliosRefusal):
        body["findings"] = [
            {"code": i.code, "severity": i.severity, "message": i.message, "line": i.line} for i in exc.items
        ]
    codes = {
        helios_errors.RightsError: status.HTTP_403_FORBIDDEN,
        helios_errors.WorkflowError: status.HTTP_409_CONFLICT,
        helios_errors.MissingDestinationError: status.HTTP_409_CONFLICT,
    }
    return Response(body, status=codes.get(type(exc), status.HTTP_400_BAD_REQUEST))


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(k): [str(m) for m in (v if isinstance(v, list) else [v])]
            if not isinstance(v, dict)
            else [str(v)]
            for k, v in detail.items()
        }
    return {"non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def exception_handler(exc, context) -> Response | None:
    if isinstance(exc, ActesServiceError):
        return _service_error(exc)
    if isinstance(exc, helios_errors.HeliosServiceError):
        return _helios_error(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Ressource introuvable.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.values()), ["Données invalides."])[0]
        response.data = {"detail": f"Données invalides : {first}", "code": "invalid", "errors": errors}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"detail": str(detail), "code": str(code)}
    return response
