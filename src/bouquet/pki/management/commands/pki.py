"""``bouquet pki demo|import|add-ca|load-crl|check|alerts``: certificates from the command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bouquet.pki.errors import PkiError


class Command(BaseCommand):
    help = "Certificats : PKI de démonstration, import, liste de révocation, vérification, alertes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser("demo", help="générer et installer la PKI de démonstration")
        demo.add_argument("--dir", type=Path, default=None, help="dossier (défaut : PKI_DIR/demo)")
        imp = sub.add_parser("import", help="enregistrer un certificat (PEM, DER ou PKCS#12)")
        imp.add_argument("file", type=Path)
        imp.add_argument("--password", default=None, help="mot de passe du PKCS#12")
        imp.add_argument("--holder", default="", help="nom du titulaire")
        ca = sub.add_parser("add-ca", help="ajouter une autorité au magasin de confiance")
        ca.add_argument("file", type=Path)
        ca.add_argument("--name", default="")
        ca.add_argument("--crl-url", default="")
        crl = sub.add_parser("load-crl", help="charger une liste de révocation (mode hors ligne)")
        crl.add_argument("file", type=Path)
        check = sub.add_parser("check", help="vérifier un certificat comme à la connexion")
        check.add_argument("file", type=Path)
        check.add_argument("--password", default=None)
        check.add_argument("--rgs", default="", help="niveau exigé : RGS*, RGS** ou RGS***")
        sub.add_parser("alerts", help="envoyer les alertes d'expiration (pour cron)")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(**options)
        except (PkiError, OSError) as exc:
            raise CommandError(str(exc)) from exc

    def do_demo(self, *, dir: Path | None, **_):  # noqa: A002 - mirrors the --dir option
        from bouquet.pki.demo import describe, install_demo_pki

        demo, certificates = install_demo_pki(dir)
        for line in describe(demo):
            self.stdout.write(line)
        self.stdout.write(f"{len(certificates)} certificats enregistrés.")

    def do_import(self, *, file: Path, password: str | None, holder: str, **_):
        from bouquet.core.audit import Actor
        from bouquet.pki.services import import_certificate

        cert = import_certificate(
            data=file.read_bytes(), password=password.encode() if password else None,
            actor=Actor.system("ligne de commande"), holder_name=holder,
        )  # fmt: skip
        level = cert.rgs_level or "sans niveau RGS"
        self.stdout.write(f"Certificat {cert.fingerprint_sha256} : {cert.subject} ({level})")

    def do_add_ca(self, *, file: Path, name: str, crl_url: str, **_):
        from bouquet.core.audit import Actor
        from bouquet.pki.services import add_trusted_ca

        ca = add_trusted_ca(
            data=file.read_bytes(), name=name, crl_url=crl_url, actor=Actor.system("ligne de commande")
        )
        self.stdout.write(f"Autorité de confiance : {ca.name} ({ca.fingerprint_sha256})")

    def do_load_crl(self, *, file: Path, **_):
        from bouquet.pki.trust import load_crl

        entry = load_crl(file.read_bytes())
        self.stdout.write(
            f"LCR de {entry.issuer_name} : {entry.revoked_count} révocation(s), émise le {entry.this_update}"
        )

    def do_check(self, *, file: Path, password: str | None, rgs: str, **_):
        from bouquet.pki.validation import validate_certificate
        from bouquet.pki.x509 import parse_certificate

        parsed = parse_certificate(file.read_bytes(), password.encode() if password else None)
        result = validate_certificate(parsed.der, required_rgs=rgs)
        self.stdout.write(f"{parsed.subject}\n  code : {result.code}\n  RGS : {result.rgs_level or 'aucun'}")
        self.stdout.write(f"  empreinte : {result.fingerprint_sha256}")
        if not result.ok:
            raise CommandError(result.reason)
        self.stdout.write(self.style.SUCCESS("  Certificat accepté."))

    def do_alerts(self, **_):
        from bouquet.pki.tasks import run_expiry_alerts

        count = run_expiry_alerts()
        self.stdout.write(f"{count} alerte(s) d'expiration envoyée(s).")
