"""Keep a PDF (draft, signed copy) with a convention."""

from django.core.files.storage import default_storage
from django.db import transaction

from bouquet.backoffice.choices import ConventionFileKind
from bouquet.backoffice.models import Convention, ConventionFile
from bouquet.backoffice.uploads import check_pdf, store_pdf
from bouquet.core.audit import Actor, record

__all__ = ["attach_convention_file"]


def attach_convention_file(*, convention: Convention, uploaded, kind: str, actor: Actor) -> ConventionFile:
    """Check, store and record ``uploaded`` (a Django ``UploadedFile`` or any object with ``name``,
    ``size`` and ``read``).

    :raises UploadError: too large, not a readable PDF, or a name holding a path; nothing is stored.
    """
    kind = ConventionFileKind(kind)
    checked = check_pdf(uploaded)
    path = store_pdf(checked, convention.authority_id)
    try:
        with transaction.atomic():
            row = ConventionFile.objects.create(
                convention=convention,
                authority_id=convention.authority_id,
                kind=kind,
                original_name=checked.name,
                path=path,
                sha256=checked.sha256,
                size=len(checked.data),
                uploaded_by=actor.user,
            )
            record(
                actor=actor,
                action="backoffice.convention.file",
                authority=convention.authority,
                obj=row,
                details={
                    "convention": convention.pk,
                    "name": checked.name,
                    "sha256": checked.sha256,
                    "kind": kind,
                },
            )
    except Exception:
        default_storage.delete(path)  # no row, no file
        raise
    return row
