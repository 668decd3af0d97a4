"""``bouquet api token create|list|revoke``: API tokens, managed by the operator's staff.

``create`` prints the clear token once (only its SHA-256 is kept); pass it as
``Authorization: Bearer <token>``.
"""

from django.core.management.base import BaseCommand, CommandError

from bouquet.api.errors import ApiTokenError
from bouquet.api.models import ApiToken
from bouquet.api.services.create_api_token import create_api_token
from bouquet.api.services.revoke_api_token import revoke_api_token
from bouquet.core.audit import Actor


class Command(BaseCommand):
    help = "Jetons de l'API REST : `api token create --email E --siren S --name N`, `list`, `revoke`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="topic", required=True)
        token = sub.add_parser("token", help="jetons d'API").add_subparsers(dest="action", required=True)
        create = token.add_parser("create", help="créer un jeton (affiché une seule fois)")
        create.add_argument("--email", required=True, help="compte au nom duquel le jeton agit")
        create.add_argument("--siren", required=True, help="collectivité (un rattachement actif du compte)")
        create.add_argument("--name", required=True, help="nom du jeton (le logiciel qui l'utilise)")
        listing = token.add_parser("list", help="lister les jetons")
        listing.add_argument("--siren", default="", help="une seule collectivité")
        revoke = token.add_parser("revoke", help="révoquer un jeton")
        revoke.add_argument("prefix", help="début du jeton, tel que `list` l'affiche")

    def handle(self, *args, topic, action, **options):
        actor = Actor.system("commande bouquet api")
        if action == "create":
            try:
                issued = create_api_token(
                    email=options["email"], siren=options["siren"], name=options["name"], actor=actor
                )
            except ApiTokenError as exc:
                raise CommandError(exc.message) from None
            self.stderr.write(f"Jeton « {issued.token.name} » créé ; il ne sera plus affiché :")
            self.stdout.write(issued.raw)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user", "authority")
            if options["siren"]:
                tokens = tokens.filter(authority__siren=options["siren"])
            for token in tokens:
                state = f"révoqué le {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "actif"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "jamais"
                self.stdout.write(
                    f"{token.prefix}\t{token.authority.siren}\t{token.user.email}\t{token.name}\t{state}\t{used}"
                )
        else:
            matches = list(ApiToken.objects.filter(prefix=options["prefix"]).select_related("authority"))
            if len(matches) != 1:
                raise CommandError(f"{len(matches)} jeton(s) commencent par {options['prefix']!r}.")
            revoke_api_token(token=matches[0], actor=actor)
            self.stdout.write(f"Jeton {matches[0].prefix}… révoqué.")
