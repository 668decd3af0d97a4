"""Tenant isolation declarations of the procurement app (read by tests/test_tenant_isolation.py)."""

from bouquet.marches.choices import Status

OBJECT_URLS = {
    "marches:detail": lambda t: {"pk": t.marches_draft_b.pk},
    "marches:edit": lambda t: {"pk": t.marches_draft_b.pk},
    "marches:lot_add": lambda t: {"pk": t.marches_draft_b.pk},
    "marches:lot_edit": lambda t: {"pk": t.marches_draft_b.pk, "lot_pk": t.marches_lot_b.pk},
    "marches:lot_delete": lambda t: {"pk": t.marches_draft_b.pk, "lot_pk": t.marches_lot_b.pk},
    "marches:dce_upload": lambda t: {"pk": t.marches_draft_b.pk},
    "marches:dce_file": lambda t: {"pk": t.marches_draft_b.pk, "file_pk": t.marches_file_b.pk},
    "marches:dce_delete": lambda t: {"pk": t.marches_draft_b.pk, "file_pk": t.marches_file_b.pk},
    "marches:publish": lambda t: {"pk": t.marches_draft_b.pk},
    "marches:modify": lambda t: {"pk": t.marches_published_b.pk},
    "marches:cancel": lambda t: {"pk": t.marches_published_b.pk},
    "marches:unsuccessful": lambda t: {"pk": t.marches_published_b.pk},
    "marches:relaunch": lambda t: {"pk": t.marches_published_b.pk},
    "marches:answer": lambda t: {"pk": t.marches_published_b.pk, "question_pk": t.marches_question_b.pk},
    "marches:downloads": lambda t: {"pk": t.marches_published_b.pk},
    "marches:operator_detail": lambda t: {"pk": t.marches_published_b.pk},
}
# Public pages: a published consultation names its buyer (B included), by design.
NON_TENANT_URLS = {
    "marches_public:consultation": lambda t: {"pk": t.marches_published_b.pk},
    "marches_public:dce_file": lambda t: {
        "pk": t.marches_published_b.pk,
        "file_pk": t.marches_public_file_b.pk,
    },
    "marches_public:dce_zip": lambda t: {"pk": t.marches_published_b.pk},
    "marches_public:register": lambda t: {"pk": t.marches_published_b.pk},
    "marches_public:question_ask": lambda t: {"pk": t.marches_published_b.pk},
    "marches_public:unsubscribe": lambda t: {"token": "jeton-inconnu"},
}
PUBLIC_URLS = {
    "marches_public:search",
    "marches_public:consultation",
    "marches_public:dce_file",
    "marches_public:dce_zip",
}


def objects_for_b(cls) -> None:
    from bouquet.marches.models import Question
    from tests.marches.helpers import make_company_user, make_consultation

    cls.marches_draft_b = make_consultation(cls.authority_b, "B-BROUILLON", lots=1, files=["B-brouillon.pdf"])
    cls.marches_lot_b = cls.marches_draft_b.lots.get()
    cls.marches_file_b = cls.marches_draft_b.dce_files.get()
    cls.marches_published_b = make_consultation(
        cls.authority_b, "B-PUBLIEE", status=Status.PUBLISHED, files=["B-publie.pdf"]
    )
    cls.marches_public_file_b = cls.marches_published_b.dce_files.get()
    user, company = make_company_user("isolation-entreprise@example.test")
    cls.marches_question_b = Question.objects.create(
        consultation=cls.marches_published_b, company=company, asked_by=user, text="Question à B ?"
    )
