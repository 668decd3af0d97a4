"""Forms of the HELIOS pages: the PES upload, its confirmation, list filters, assigning a retour.

The forms only check what the user typed or sent; what a PES must contain is said by the pre-flight
report (``views/preflight.py``) and decided again by the upload service.
"""

from __future__ import annotations

from django import forms
from django.conf import settings

from bouquet.helios.choices import Status
from bouquet.helios.pes import MAX_FILE_SIZE

__all__ = [
    "AssignRetourForm",
    "ConfirmForm",
    "OperatorTransactionFilterForm",
    "RetourFilterForm",
    "TransactionFilterForm",
    "UploadForm",
]

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def max_size() -> int:
    return getattr(settings, "HELIOS_MAX_FILE_SIZE", MAX_FILE_SIZE)


class UploadForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier PES",
        help_text="Un flux PES V2 (fichier XML encodé en ISO-8859-1), signé ou non, de 128 Mio au plus.",
        error_messages={
            "required": "Choisissez le fichier PES à déposer.",
            "empty": "Le fichier est vide.",
            "invalid": "Aucun fichier n'a été reçu : choisissez-le de nouveau.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        limit = max_size()
        if upload.size > limit:
            raise forms.ValidationError(
                f"Le fichier fait {upload.size // (1024 * 1024)} Mio : la limite est de "
                f"{limit // (1024 * 1024)} Mio. Il n'a pas été lu."
            )
        return upload


class ConfirmForm(forms.Form):
    ticket = forms.CharField(widget=forms.HiddenInput, max_length=4000)


class TransactionFilterForm(forms.Form):
    status = forms.TypedChoiceField(
        label="État", required=False, coerce=int, empty_value=None, choices=[("", "Tous"), *Status.choices]
    )
    nom_fic = forms.CharField(label="NomFic", required=False, max_length=256)
    since = forms.DateField(label="Déposé depuis le", required=False, widget=DATE_INPUT)
    until = forms.DateField(label="Jusqu'au", required=False, widget=DATE_INPUT)


class OperatorTransactionFilterForm(TransactionFilterForm):
    authority = forms.CharField(label="Collectivité (nom ou SIREN)", required=False, max_length=200)

    field_order = ["authority", "status", "nom_fic", "since", "until"]


class RetourFilterForm(forms.Form):
    unread = forms.BooleanField(label="Non lus seulement", required=False)


class AssignRetourForm(forms.Form):
    """The operator chooses which served authority an unassigned retour belongs to."""

    authority = forms.ModelChoiceField(
        label="Collectivité destinataire",
        queryset=None,
        empty_label="Choisir…",
        error_messages={"invalid_choice": "Choisissez une collectivité que vous servez."},
    )
    remember_siret = forms.BooleanField(
        label="Rattacher aussi ce SIRET à la collectivité pour les prochains retours", required=False
    )

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
