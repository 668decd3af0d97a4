"""Forms of the contracts pages: they check what was typed; the DECP rules live in the services
and in the DECP library, whose findings the pages show."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from bouquet.marches.contracts.choices import (
    CCAG_CHOICES,
    ENVIRONMENTAL_CHOICES,
    EXECUTION_MODE_CHOICES,
    GROUPING_CHOICES,
    NATURE_CHOICES,
    PLACE_TYPE_CHOICES,
    PRICE_FORM_CHOICES,
    PRICE_TYPE_CHOICES,
    PROCEDURE_CHOICES,
    SOCIAL_CHOICES,
    TECHNIQUE_CHOICES,
)
from bouquet.marches.decp import id_problem, siret_is_valid

__all__ = ["ContractForm", "ExecutionEndForm", "HistoryImportForm", "ModificationForm", "parse_holders"]

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKBOXES = forms.CheckboxSelectMultiple
HUNDRED = Decimal(100)


def parse_holders(text: str) -> list[dict]:
    """``SIRET ; raison sociale`` per line (``;``, tab or `` - `` between them).

    :raises ValidationError: a line without a valid SIRET.
    """
    holders = []
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"\s*(?:;|\t|\s-\s)\s*", line, maxsplit=1)
        siret = re.sub(r"\s", "", parts[0])
        if not siret_is_valid(siret):
            raise ValidationError(
                f"Ligne {number} : « {parts[0]} » n'est pas un SIRET valide (14 chiffres, clé de contrôle)."
            )
        holders.append({"id": siret, "type": "SIRET", "name": parts[1] if len(parts) > 1 else ""})
    return holders


def holders_text(holders: list[dict]) -> str:
    return "\n".join(f"{h['id']} ; {h.get('name', '')}".rstrip(" ;") for h in holders)


def _percent(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=100, decimal_places=2, help_text=help_text
    )


class ContractForm(forms.Form):
    """The essential data of a contract, grouped as the DECP arrêté lists them."""

    decp_id = forms.CharField(
        label="Identifiant du marché",
        max_length=16,
        help_text="Votre numéro interne, unique pour cet acheteur : 1 à 16 caractères, sans espace, "
        'virgule, point-virgule ni & " \\ <.',
    )
    nature = forms.ChoiceField(label="Nature", choices=NATURE_CHOICES)
    object = forms.CharField(
        label="Objet du marché ou du lot", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    cpv = forms.RegexField(
        label="Code CPV principal",
        regex=r"^[0-9]{8}(-[0-9])?$",
        error_messages={
            "invalid": "Le code CPV s'écrit avec 8 chiffres, "
            "éventuellement suivis d'un tiret et d'un chiffre (45000000-7)."
        },
    )
    procedure = forms.ChoiceField(label="Procédure", choices=PROCEDURE_CHOICES)
    techniques = forms.MultipleChoiceField(
        label="Techniques d'achat", choices=TECHNIQUE_CHOICES, widget=CHECKBOXES
    )
    execution_modes = forms.MultipleChoiceField(
        label="Modalités d'exécution", choices=EXECUTION_MODE_CHOICES, widget=CHECKBOXES
    )
    framework_id = forms.CharField(
        label="Identifiant de l'accord-cadre",
        max_length=16,
        required=False,
        help_text="Pour un marché subséquent seulement.",
    )
    innovative = forms.BooleanField(label="Marché innovant", required=False)
    ccag = forms.ChoiceField(label="CCAG de référence", choices=CCAG_CHOICES)
    offers_received = forms.IntegerField(
        label="Nombre d'offres reçues",
        min_value=1,
        help_text="Toutes les offres, y compris irrégulières, inacceptables ou anormalement basses.",
    )
    advance_granted = forms.BooleanField(label="Une avance est attribuée au titulaire", required=False)
    advance_rate = _percent(
        "Taux de l'avance (%)", "Laissez 0 si une avance est versée mais que son taux n'est pas connu."
    )
    grouping_type = forms.ChoiceField(label="Groupement d'opérateurs", choices=GROUPING_CHOICES)
    place_code = forms.CharField(
        label="Code du lieu d'exécution", max_length=10, help_text="Code INSEE de préférence (ex. 21054)."
    )
    place_code_type = forms.ChoiceField(label="Type de code du lieu", choices=PLACE_TYPE_CHOICES)
    duration_months = forms.IntegerField(
        label="Durée (mois)",
        min_value=1,
        max_value=1200,
        help_text="Durée totale, tranches et reconductions comprises, arrondie au mois supérieur.",
    )
    notified_on = forms.DateField(
        label="Date de notification",
        widget=DATE_INPUT,
        help_text="Date de réception de la notification par le titulaire.",
    )
    amount_ht = forms.DecimalField(
        label="Montant (€ HT)",
        min_value=1,
        max_digits=14,
        decimal_places=2,
        help_text="Montant forfaitaire, ou montant maximum estimé.",
    )
    price_types = forms.MultipleChoiceField(
        label="Types de prix", choices=PRICE_TYPE_CHOICES, widget=CHECKBOXES
    )
    price_form = forms.ChoiceField(label="Forme du prix", choices=PRICE_FORM_CHOICES)
    subcontracting_declared = forms.BooleanField(
        label="Le titulaire a déclaré de la sous-traitance", required=False
    )
    social_considerations = forms.MultipleChoiceField(
        label="Considérations sociales", choices=SOCIAL_CHOICES, widget=CHECKBOXES
    )
    environmental_considerations = forms.MultipleChoiceField(
        label="Considérations environnementales", choices=ENVIRONMENTAL_CHOICES, widget=CHECKBOXES
    )
    origin_eu = _percent(
        "Part des produits de l'Union européenne (%)",
        "Seulement pour les denrées alimentaires, véhicules, produits de santé et habillement.",
    )
    origin_france = _percent("Part des produits français (%)")
    holders = forms.CharField(
        label="Titulaires",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un titulaire par ligne : SIRET ; raison sociale (plusieurs lignes pour un groupement).",
    )
    execution_ended_on = forms.DateField(
        label="Fin d'exécution constatée",
        required=False,
        widget=DATE_INPUT,
        help_text="Point de départ de la conservation de 10 ans des pièces du marché.",
    )

    def clean_decp_id(self) -> str:
        value = self.cleaned_data["decp_id"].strip()
        if problem := id_problem(value):
            raise ValidationError(problem[0].upper() + problem[1:])
        return value

    def clean_holders(self) -> list[dict]:
        holders = parse_holders(self.cleaned_data["holders"])
        if not holders:
            raise ValidationError("Indiquez au moins un titulaire.")
        return holders

    def clean(self):
        data = super().clean()
        eu, france = data.get("origin_eu"), data.get("origin_france")
        if eu is not None and france is not None and france > eu:
            self.add_error("origin_france", "La part française ne peut pas dépasser la part européenne.")
        if data.get("advance_rate") and not data.get("advance_granted"):
            self.add_error("advance_rate", "Un taux d'avance n'a de sens que si une avance est attribuée.")
        return data

    @classmethod
    def initial_from(cls, contract) -> dict:
        initial = {name: getattr(contract, name) for name in cls.base_fields if hasattr(contract, name)}
        for name in ("advance_rate", "origin_eu", "origin_france"):
            value = getattr(contract, name)
            initial[name] = (value * HUNDRED).normalize() if value is not None else None
        initial["holders"] = holders_text(contract.holders)
        return initial

    def service_data(self) -> dict:
        """The cleaned values as the contract stores them (rates as fractions of 1)."""
        data = dict(self.cleaned_data)
        for name in ("advance_rate", "origin_eu", "origin_france"):
            data[name] = (data[name] / HUNDRED) if data.get(name) is not None else None
        if not data["advance_granted"]:
            data["advance_rate"] = None
        return data


class ModificationForm(forms.Form):
    reason = forms.CharField(
        label="Objet de la modification", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    signed_on = forms.DateField(label="Date de signature", required=False, widget=DATE_INPUT)
    notified_on = forms.DateField(label="Date de notification au titulaire", widget=DATE_INPUT)
    amount_ht = forms.DecimalField(
        label="Nouveau montant total (€ HT)",
        required=False,
        min_value=1,
        max_digits=14,
        decimal_places=2,
        help_text="Laissez vide si le montant ne change pas.",
    )
    duration_months = forms.IntegerField(
        label="Nouvelle durée totale (mois)",
        required=False,
        min_value=1,
        max_value=1200,
        help_text="Laissez vide si la durée ne change pas.",
    )
    holders = forms.CharField(
        label="Nouveaux titulaires",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Seulement s'ils changent : un par ligne, SIRET ; raison sociale.",
    )

    def clean_holders(self) -> list[dict]:
        return parse_holders(self.cleaned_data["holders"])

    def clean(self):
        data = super().clean()
        if (
            not self.errors
            and data.get("amount_ht") is None
            and data.get("duration_months") is None
            and not data.get("holders")
        ):
            raise ValidationError("Une modification change au moins le montant, la durée ou les titulaires.")
        return data


class ExecutionEndForm(forms.Form):
    execution_ended_on = forms.DateField(label="Fin d'exécution constatée", required=False, widget=DATE_INPUT)


class HistoryImportForm(forms.Form):
    file = forms.FileField(
        label="Export Excel de l'ancienne plateforme (.xlsx)",
        help_text="Une ligne par consultation (ou par lot). Les colonnes reconnues sont décrites ci-dessous.",
    )
