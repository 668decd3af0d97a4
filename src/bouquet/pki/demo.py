"""Demo PKI setup: generate the files, trust the demo CAs, load the CRL, register and bind certificates."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction

from bouquet.core.audit import Actor
from bouquet.core.models import User
from bouquet.pki.demo_pki import DemoPki, generate_demo_pki
from bouquet.pki.models import Certificate
from bouquet.pki.services import add_trusted_ca, bind_certificate, import_certificate
from bouquet.pki.trust import clear_cache, load_crl

DOMAIN = "demo.bouquet.test"
# Demo certificate → accounts it serves. valid_rgs is one person's certificate for her two
# accounts: the login then asks which one (HTTP Basic for the API, a choice on the web page).
BINDINGS = {
    "valid_rgs": ["secretaire.vitteaux", "secretariat.sivos"],
    "valid_non_rgs": ["agent.beaune"],
    "expired": ["mairie.nuits"],
    "revoked": ["dgs.ccvti"],
}
ACTOR = Actor.system("données de démonstration")


@transaction.atomic
def install_demo_pki(directory: Path | None = None) -> tuple[DemoPki, dict[str, Certificate]]:
    """Generate (or reuse) the demo PKI, trust its CAs, cache its CRL, register the user certificates.

    :param directory: where the files go; default ``PKI_DIR/demo`` (where ``bouquet run`` looks).
    """
    demo = generate_demo_pki(Path(directory) if directory else Path(settings.PKI_DIR) / "demo")
    add_trusted_ca(data=demo.root_cert.read_bytes(), name="Racine Bouquet (démo)", actor=ACTOR)
    add_trusted_ca(data=demo.intermediate_cert.read_bytes(), name="AC Agents RGS** (démo)", actor=ACTOR)
    load_crl(demo.crl_der.read_bytes())
    crl_dir = Path(settings.PKI_CRL_DIR)
    crl_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo.crl_der, crl_dir / "demo-ac-agents.crl")
    certificates = {
        name: import_certificate(data=files.cert.read_bytes(), actor=ACTOR, holder_name=files.common_name)
        for name, files in demo.users.items()
    }
    clear_cache()
    return demo, certificates


def describe(demo: DemoPki) -> list[str]:
    lines = [
        f"PKI de démonstration : {demo.directory}",
        f"  Mot de passe des fichiers .p12 : {demo.password.decode()}",
        f"  Chaîne des AC : {demo.ca_chain}   LCR : {demo.crl_der}",
        f"  Certificat serveur : {demo.server_cert} (clé {demo.server_key})",
    ]
    lines += [f"  {name:14} {files.p12}" for name, files in demo.users.items()]
    return lines


@transaction.atomic
def load() -> list[str]:
    """Called by ``bouquet demo`` once the core demo data exists."""
    demo, certificates = install_demo_pki()
    for name, locals_ in BINDINGS.items():
        for local in locals_:
            user = User.objects.filter(email=f"{local}@{DOMAIN}").first()
            if user is not None:
                bind_certificate(certificate=certificates[name], user=user, actor=ACTOR)
    lines = describe(demo)
    lines += [f"  {name:14} → {', '.join(BINDINGS[name])}" for name in BINDINGS]
    return lines
