"""What the web UI says about each module: URL slug, description, and the user's rights in words."""

from bouquet.core.choices import TRANSMISSION_MODULES, Access, ModuleCode

SLUGS: dict[str, str] = {
    "actes": ModuleCode.ACTES,
    "helios": ModuleCode.HELIOS,
    "marches": ModuleCode.MARCHES,
}
CODE_TO_SLUG: dict[str, str] = {code: slug for slug, code in SLUGS.items()}

DESCRIPTIONS: dict[str, str] = {
    ModuleCode.ACTES: (
        "Ce module sert à préparer et télétransmettre vos actes (délibérations, arrêtés, contrats…) "
        "au contrôle de légalité de la préfecture, puis à suivre leurs accusés de réception."
    ),
    ModuleCode.HELIOS: (
        "Ce module sert à déposer vos flux comptables PES (titres, mandats, bordereaux) vers Hélios, "
        "l'application de la DGFiP, puis à suivre leurs acquittements et vos retours."
    ),
    ModuleCode.MARCHES: (
        "Ce module sert à publier vos consultations de marchés publics "
        "et à recevoir les réponses des entreprises."
    ),
}


class ModuleSlugConverter:
    regex = "actes|helios|marches"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def rights_sentence(right) -> str:
    """The user's rights on one module, in plain French (``right`` is a ModuleRight or None)."""
    if right is None or right.access == Access.NONE:
        return "Vous n'avez pas accès à ce module."
    if right.access == Access.READ:
        return "Vous pouvez consulter, sans rien modifier."
    if right.module.code not in TRANSMISSION_MODULES:
        return "Vous pouvez consulter et modifier."
    return {
        (True, True): "Vous pouvez préparer et télétransmettre.",
        (True, False): "Vous pouvez préparer, mais pas télétransmettre.",
        (False, True): "Vous pouvez télétransmettre, mais pas préparer.",
        (False, False): "Vous pouvez consulter et modifier, mais ni préparer ni télétransmettre.",
    }[(right.can_prepare, right.can_transmit)]
