"""Staff write and edit the FAQ; members search it."""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from bouquet.core.audit import record
from bouquet.support.choices import Theme
from bouquet.support.errors import RuleError
from bouquet.support.models import FaqEntry
from bouquet.support.services.common import actor, require_staff
from bouquet.support.text import search_words

__all__ = ["FaqData", "save_faq_entry", "search_faq"]

MAX_QUESTION = 300
MAX_ANSWER = 10_000


@dataclass(frozen=True)
class FaqData:
    theme: str
    question: str
    answer: str
    position: int = 100
    is_published: bool = True


def _check(data: FaqData) -> None:
    if data.theme not in Theme.values:
        raise RuleError("Choisissez un thème de la liste.")
    if not data.question.strip() or not data.answer.strip():
        raise RuleError("La question et la réponse sont obligatoires.")
    if len(data.question) > MAX_QUESTION or len(data.answer) > MAX_ANSWER:
        raise RuleError(f"La question tient en {MAX_QUESTION} caractères et la réponse en {MAX_ANSWER}.")


def _unique_slug(operator, question: str, exclude: int | None) -> str:
    base = slugify(question)[:90] or "question"
    taken = set(
        FaqEntry.objects.filter(operator=operator, slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_faq_entry(*, operator, user, data: FaqData, entry: FaqEntry | None = None) -> FaqEntry:
    """Create an entry (``entry`` None) or change one; the identifier is made from the question once.

    :raises RightsError: not staff. :raises RuleError: missing or too long text, unknown theme.
    """
    require_staff(user, operator)
    _check(data)
    fields = {**asdict(data), "question": data.question.strip(), "answer": data.answer.strip()}
    with transaction.atomic():
        if entry is None:
            entry = FaqEntry(operator=operator, slug=_unique_slug(operator, fields["question"], None))
            before = None
        else:
            entry = FaqEntry.objects.select_for_update().get(pk=entry.pk, operator=operator)
            before = {"question": entry.question, "theme": entry.theme, "is_published": entry.is_published}
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.updated_by = user
        entry.save()
        record(
            actor=actor(user),
            action="support.faq.create" if before is None else "support.faq.update",
            obj=entry,
            details={
                "before": before,
                "after": {
                    "question": entry.question,
                    "theme": entry.theme,
                    "is_published": entry.is_published,
                },
            },
        )
    return entry


def search_faq(queryset: QuerySet, query: str) -> QuerySet:
    """Entries whose question or answer holds every word of ``query``, accents and case ignored."""
    words = search_words(query)
    if not words:
        return queryset.none()
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return queryset.filter(condition)
