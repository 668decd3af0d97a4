"""Forms of the back-office pages: they check what staff typed; the rules stay in the services."""

from decimal import Decimal

from django import forms

from bouquet.backoffice.choices import (
    ConventionFileKind,
    ConventionKind,
    ConventionModule,
    ConventionStatus,
    MembershipStatus,
)
from bouquet.backoffice.models import AidRule, Convention, FeeRule, OperatorSettings
from bouquet.backoffice.services.save_fee_rule import FIELDS as FEE_FIELDS
from bouquet.backoffice.services.update_operator_settings import SETTINGS_FIELDS
from bouquet.core.models import Authority

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_STATUS = "none"


def _blank(choices, label: str = "Tous") -> list:
    return [("", label), *choices]


class MembershipFilterForm(forms.Form):
    q = forms.CharField(label="Nom ou SIREN", required=False)
    status = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=_blank([*MembershipStatus.choices, (NO_STATUS, "Sans statut")]),
    )


class MembershipStatusForm(forms.Form):
    status = forms.ChoiceField(label="Nouveau statut", choices=MembershipStatus.choices)
    effective_date = forms.DateField(label="Date d'effet", widget=DATE)
    note = forms.CharField(label="Commentaire", max_length=300, required=False)


class FeeRuleForm(forms.ModelForm):
    class Meta:
        model = FeeRule
        fields = FEE_FIELDS
        widgets = {"valid_from": DATE, "valid_until": DATE}


class ConventionCreateForm(forms.Form):
    module = forms.ChoiceField(label="Flux", choices=ConventionModule.choices)
    kind = forms.ChoiceField(label="Type", choices=ConventionKind.choices)
    amends = forms.ModelChoiceField(
        label="Convention modifiée (pour un avenant)", queryset=Convention.objects.none(), required=False
    )
    subject = forms.CharField(label="Objet", max_length=300)
    reference = forms.CharField(label="Référence de la préfecture", max_length=100, required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, authority: Authority, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this member's conventions: no other authority's id can be chosen.
        self.fields["amends"].queryset = Convention.objects.for_tenant(authority).filter(
            kind=ConventionKind.CONVENTION
        )


class ConventionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Nouvel état", choices=ConventionStatus.choices)
    on = forms.DateField(label="Date (envoi, signature ou retour)", widget=DATE)
    effective_from = forms.DateField(
        label="En vigueur à partir du",
        widget=DATE,
        required=False,
        help_text="À la signature ; par défaut, la date de signature.",
    )
    effective_until = forms.DateField(label="En vigueur jusqu'au", widget=DATE, required=False)
    reference = forms.CharField(label="Référence de la préfecture", max_length=100, required=False)
    message = forms.CharField(label="Commentaire", max_length=300, required=False)


class ConventionEditForm(forms.Form):
    subject = forms.CharField(label="Objet", max_length=300)
    reference = forms.CharField(label="Référence de la préfecture", max_length=100, required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    effective_until = forms.DateField(
        label="Fin de validité",
        widget=DATE,
        required=False,
        help_text="Seulement pour une convention signée.",
    )


class ConventionUploadForm(forms.Form):
    file = forms.FileField(label="Fichier PDF")
    kind = forms.ChoiceField(label="Nature", choices=ConventionFileKind.choices)


class ConventionFilterForm(forms.Form):
    q = forms.CharField(label="Collectivité (nom ou SIREN)", required=False)
    module = forms.ChoiceField(label="Flux", required=False, choices=_blank(ConventionModule.choices))
    kind = forms.ChoiceField(label="Type", required=False, choices=_blank(ConventionKind.choices))
    status = forms.ChoiceField(label="État", required=False, choices=_blank(ConventionStatus.choices))


class KitForm(forms.Form):
    authorities = forms.ModelMultipleChoiceField(
        label="Collectivités", queryset=Authority.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, served, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authorities"].queryset = served
        self.fields["authorities"].error_messages["invalid_choice"] = "Collectivité inconnue."


class DocumentTemplateForm(forms.Form):
    title = forms.CharField(label="Titre (objet du courriel pour le courriel)", max_length=200)
    body = forms.CharField(label="Texte", widget=forms.Textarea(attrs={"rows": 24}))


class OperatorSettingsForm(forms.ModelForm):
    class Meta:
        model = OperatorSettings
        fields = SETTINGS_FIELDS
        widgets = {
            "homologation_date": DATE,
            "transmission_contract_date": DATE,
            "prefecture_address": forms.Textarea(attrs={"rows": 3}),
        }


class AidRuleForm(forms.ModelForm):
    class Meta:
        model = AidRule
        fields = (
            "name",
            "purpose",
            "amount",
            "kind",
            "min_population",
            "max_population",
            "required_module",
            "valid_from",
            "valid_until",
        )
        widgets = {"valid_from": DATE, "valid_until": DATE, "purpose": forms.Textarea(attrs={"rows": 2})}


class AidPaymentForm(forms.Form):
    authority = forms.ModelChoiceField(label="Collectivité", queryset=Authority.objects.none())
    amount = forms.DecimalField(
        label="Montant versé (€)", max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    paid_on = forms.DateField(label="Versé le", widget=DATE)
    reference = forms.CharField(label="Référence (mandat, titre…)", max_length=100, required=False)
    note = forms.CharField(label="Commentaire", max_length=300, required=False)

    def __init__(self, *args, served, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = served
        self.fields["authority"].error_messages["invalid_choice"] = "Collectivité inconnue."
