"""The HELIOS URLs of the REST API for tests/test_tenant_isolation.py: authority A's user gets 404 on B's."""

OBJECT_URLS = {
    "api:helios_transaction_detail": lambda t: {"pk": t.helios_api_transaction_b.pk},
    "api:helios_transaction_file": lambda t: {"pk": t.helios_api_transaction_b.pk},
    "api:helios_transaction_acquit": lambda t: {"pk": t.helios_api_transaction_b.pk},
    "api:helios_transaction_post": lambda t: {"pk": t.helios_api_transaction_b.pk},
    "api:helios_transaction_cancel": lambda t: {"pk": t.helios_api_transaction_b.pk},
    "api:helios_retour_file": lambda t: {"pk": t.helios_api_retour_b.pk},
    "api:helios_retour_read": lambda t: {"pk": t.helios_api_retour_b.pk},
}


def objects_for_b(cls) -> None:
    """A PES of authority B waiting for its TT order, with an acquittement row, and a PES_Retour of B."""
    from bouquet.helios.models import Acquit, Retour, StoredFile, Transaction

    stored = StoredFile.objects.create(
        sha256="a1" * 32, sha1="a1" * 20, size=4, path="isolation/helios-api-b"
    )
    cls.helios_api_transaction_b = Transaction.objects.create(
        authority=cls.authority_b,
        status=14,
        filename="b.xml",
        file=stored,
        sha256=stored.sha256,
        size=4,
        nom_fic="ISOLATION-API-B",
        cod_col="B01",
        id_coll=cls.siret_b.siret,
        id_post="021000",
        cod_bud="01",
    )
    Acquit.objects.create(
        authority=cls.authority_b,
        transaction=cls.helios_api_transaction_b,
        file=stored,
        filename="ack-b.xml",
        root="PES_ACQUIT",
    )
    cls.helios_api_retour_b = Retour.objects.create(
        authority=cls.authority_b,
        siret=cls.siret_b.siret,
        filename="retour-b.xml",
        file=stored,
        size=4,
        sha256=stored.sha256,
    )
