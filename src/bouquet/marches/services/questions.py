"""Questions from companies before the question deadline, and the buyer's answers, published to
every registered downloader without naming who asked."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.marches.choices import EventKind, Status
from bouquet.marches.companies import company_for
from bouquet.marches.errors import InvalidData, QuestionsClosed, RightsError, WorkflowError
from bouquet.marches.models import Consultation, Question
from bouquet.marches.notifications import notify_buyers, notify_downloaders
from bouquet.marches.services.common import actor_of, require_write
from bouquet.marches.services.downloads import register_downloader
from bouquet.marches.services.history import add_event

__all__ = ["answer_question", "ask_question"]


def ask_question(*, consultation: Consultation, user, text: str, now=None) -> Question:
    """:raises RightsError: not a company account. :raises QuestionsClosed: deadline passed.
    :raises InvalidData: empty or too long."""
    company = company_for(user)
    if company is None:
        raise RightsError("Pour poser une question, connectez-vous avec un compte entreprise.")
    now = now or timezone.now()
    if not consultation.accepts_questions(now):
        raise QuestionsClosed(
            "La date limite pour poser des questions est passée : la question n'a pas été envoyée."
        )
    text = (text or "").strip()
    if not text:
        raise InvalidData("Écrivez votre question.", {"text": ["Écrivez votre question."]})
    limit = settings.MARCHES_QUESTION_MAX_CHARS
    if len(text) > limit:
        raise InvalidData(
            f"La question dépasse {limit} caractères.", {"text": [f"{limit} caractères au plus."]}
        )
    with transaction.atomic():
        question = Question.objects.create(
            consultation=consultation, company=company, asked_by=user, text=text, asked_at=now
        )
        add_event(
            consultation,
            EventKind.QUESTION_ASKED,
            f"Question reçue de {company.name}.",
            user,
            question=question.pk,
        )
        record(
            actor=Actor.of_user(user),
            action="marches.question_ask",
            authority=consultation.authority,
            obj=consultation,
            details={"question": question.pk, "company": company.siret},
        )
        register_downloader(consultation=consultation, email=user.email, user=user)
        notify_buyers(consultation, "question", {"question": question})
    return question


def answer_question(*, question: Question, actor, answer: str) -> Question:
    """Publish the answer to every registered downloader (question text, not its author).

    :raises WorkflowError: already answered, or the consultation is no longer in progress.
    """
    consultation = question.consultation
    require_write(actor, consultation.authority)
    answer = (answer or "").strip()
    if not answer:
        raise InvalidData("Écrivez la réponse.", {"answer": ["Écrivez la réponse."]})
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.is_answered:
            raise WorkflowError("Cette question a déjà une réponse publiée.")
        if consultation.status != Status.PUBLISHED:
            raise WorkflowError("La consultation n'est plus en cours : la réponse ne peut plus être publiée.")
        locked.answer, locked.answered_by, locked.answered_at = answer, actor, timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        add_event(
            consultation,
            EventKind.QUESTION_ANSWERED,
            "Réponse publiée à une question.",
            actor,
            question=locked.pk,
        )
        record(
            actor=actor_of(actor),
            action="marches.question_answer",
            authority=consultation.authority,
            obj=consultation,
            details={"question": locked.pk},
        )
        notify_downloaders(consultation, "answer", {"question": locked})
    return locked
