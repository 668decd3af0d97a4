"""Staff edit the kit's texts (or go back to Bouquet's); unknown placeholders are refused."""

from django.db import transaction

from bouquet.backoffice.choices import DocumentKind
from bouquet.backoffice.documents.placeholders import unknown_placeholders
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.models import DocumentTemplate
from bouquet.core.audit import Actor, record

__all__ = ["MAX_BODY", "reset_document_template", "save_document_template"]

MAX_BODY = 20_000


def save_document_template(*, operator, kind: str, title: str, body: str, actor: Actor) -> DocumentTemplate:
    """Store the staff's text for ``kind``.

    :raises BackofficeError: empty or too long text, or placeholders we do not know.
    """
    kind = DocumentKind(kind)
    title, body = title.strip(), body.replace("\r\n", "\n").strip()
    if not title or not body:
        raise BackofficeError("Le titre et le texte sont obligatoires.")
    if len(body) > MAX_BODY or len(title) > 200:
        raise BackofficeError(f"Le texte est trop long (au plus {MAX_BODY} caractères, titre 200).")
    unknown = unknown_placeholders(title + "\n" + body)
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        raise BackofficeError(f"Ces champs n'existent pas : {names}. Utilisez ceux de la liste.")
    with transaction.atomic():
        before = DocumentTemplate.objects.filter(operator=operator, kind=kind).first()
        template, _ = DocumentTemplate.objects.update_or_create(
            operator=operator, kind=kind, defaults={"title": title, "body": body, "updated_by": actor.user}
        )
        record(
            actor=actor,
            action="backoffice.template.save",
            obj=template,
            details={
                "kind": kind.value,
                "before": {"title": before.title, "body": before.body} if before else None,
                "after": {"title": title, "body": body},
            },
        )
    return template


def reset_document_template(*, operator, kind: str, actor: Actor) -> None:
    """Forget the staff's text: Bouquet's default applies again."""
    kind = DocumentKind(kind)
    with transaction.atomic():
        template = DocumentTemplate.objects.filter(operator=operator, kind=kind).first()
        if template is None:
            return
        record(
            actor=actor,
            action="backoffice.template.reset",
            obj=template,
            details={"kind": kind.value, "before": {"title": template.title, "body": template.body}},
        )
        template.delete()
