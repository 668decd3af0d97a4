"""Forms of the procurement pages. They check what was typed; the rules live in the services,
whose ``InvalidData.errors`` the views attach to the fields."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from bouquet.core.validators import validate_siret
from bouquet.marches.choices import Kind, PlaceCodeType, Procedure, Status
from bouquet.marches.validators import validate_cpv

__all__ = [
    "AnswerForm",
    "CompanySignUpForm",
    "ConsultationForm",
    "DceUploadForm",
    "LotForm",
    "ModificationForm",
    "QuestionForm",
    "ReasonForm",
    "RegisterForm",
    "SearchForm",
]

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class SiretField(forms.CharField):
    """14 digits, Luhn-checked; spaces typed by habit (« 732 829 320 00074 ») are removed first."""

    default_validators = [validate_siret]

    def to_python(self, value):
        return super().to_python(value).replace(" ", "").replace("\u00a0", "")


def _cpv_list(value: str) -> list[str]:
    codes = [code for code in value.replace(",", " ").replace(";", " ").split() if code]
    for code in codes:
        validate_cpv(code)
    return codes


class ConsultationForm(forms.Form):
    reference = forms.CharField(
        label="Référence",
        max_length=16,
        help_text="Votre numéro interne, 16 caractères au plus (ex. 2026-MAPA-04).",
    )
    object = forms.CharField(label="Objet", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    procedure = forms.ChoiceField(label="Procédure", choices=Procedure.choices)
    kind = forms.ChoiceField(label="Type de marché", choices=Kind.choices)
    buyer_siret = SiretField(label="SIRET de l'acheteur", max_length=20)
    cpv_main = forms.CharField(
        label="Code CPV principal", max_length=10, validators=[validate_cpv], help_text="Ex. 45233140-2"
    )
    cpv_additional = forms.CharField(
        label="Codes CPV complémentaires",
        required=False,
        help_text="Séparés par des espaces ou des virgules.",
    )
    execution_place = forms.CharField(label="Lieu d'exécution", max_length=200)
    execution_place_code = forms.CharField(
        label="Code du lieu d'exécution", max_length=10, required=False, help_text="Ex. code INSEE 21054"
    )
    execution_place_code_type = forms.ChoiceField(
        label="Type de code du lieu", choices=PlaceCodeType.choices, initial=PlaceCodeType.COMMUNE
    )
    estimated_amount = forms.DecimalField(
        label="Montant estimé (€ HT)", min_value=0, max_digits=14, decimal_places=2
    )
    duration_months = forms.IntegerField(label="Durée (mois)", min_value=1, max_value=600, required=False)
    question_deadline = forms.DateTimeField(
        label="Date limite des questions", required=False, widget=DATETIME_INPUT, help_text="Heure de Paris."
    )
    bid_deadline = forms.DateTimeField(
        label="Date et heure limites de remise des plis",
        required=False,
        widget=DATETIME_INPUT,
        help_text="Heure de Paris. Obligatoire pour publier.",
    )
    notice_text = forms.CharField(
        label="Texte de l'avis",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="L'avis publié : objet détaillé, critères, modalités de remise des plis…",
    )
    is_test = forms.BooleanField(
        label="Consultation de test (entraînement au dépôt, sans valeur juridique)", required=False
    )

    def clean_cpv_additional(self) -> list[str]:
        return _cpv_list(self.cleaned_data.get("cpv_additional", ""))

    def clean_reference(self) -> str:
        value = self.cleaned_data["reference"].strip()
        if any(ch in value for ch in '&"\\<,; '):
            raise ValidationError(
                'La référence ne peut contenir ni espace ni aucun de ces caractères : & " \\ < , ;'
            )
        return value

    @classmethod
    def initial_for(cls, consultation) -> dict:
        initial = {name: getattr(consultation, name) for name in cls.base_fields if name != "cpv_additional"}
        initial["cpv_additional"] = " ".join(consultation.cpv_additional)
        return initial


class LotForm(forms.Form):
    number = forms.IntegerField(label="Numéro", min_value=1, max_value=999, required=False)
    object = forms.CharField(label="Objet du lot", max_length=1000)
    cpv = forms.CharField(label="Code CPV", max_length=10, validators=[validate_cpv])
    estimated_amount = forms.DecimalField(
        label="Montant estimé (€ HT)", min_value=0, max_digits=14, decimal_places=2, required=False
    )


class DceUploadForm(forms.Form):
    files = MultipleFileField(label="Documents")
    description = forms.CharField(label="Description", max_length=300, required=False)


class ModificationForm(forms.Form):
    summary = forms.CharField(
        label="Résumé de la modification",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Envoyé à toutes les entreprises inscrites.",
    )
    notice_text = forms.CharField(
        label="Texte de l'avis", required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    question_deadline = forms.DateTimeField(
        label="Date limite des questions", required=False, widget=DATETIME_INPUT
    )
    bid_deadline = forms.DateTimeField(
        label="Date limite de remise des plis", required=False, widget=DATETIME_INPUT
    )
    files = MultipleFileField(label="Documents ajoutés ou remplacés", required=False)
    withdrawn = forms.TypedMultipleChoiceField(
        label="Documents retirés", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    confirm_warnings = forms.BooleanField(label="Je confirme malgré les avertissements", required=False)

    def __init__(self, *args, current_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn"].choices = [(f.pk, f"{f.name} (v{f.version})") for f in current_files]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Réponse", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class SearchForm(forms.Form):
    q = forms.CharField(label="Mots-clés", required=False, max_length=200)
    cpv = forms.CharField(
        label="Code CPV", required=False, max_length=10, help_text="Ou son début : 45, 4523…"
    )
    buyer = forms.CharField(label="Acheteur", required=False, max_length=200)
    kind = forms.ChoiceField(label="Type de marché", required=False, choices=[("", "Tous"), *Kind.choices])
    procedure = forms.ChoiceField(
        label="Procédure", required=False, choices=[("", "Toutes"), *Procedure.choices]
    )
    published_from = forms.DateField(label="Publiée depuis le", required=False, widget=DATE_INPUT)
    deadline_until = forms.DateField(label="Date limite avant le", required=False, widget=DATE_INPUT)
    state = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "En cours"), ("all", "Toutes, y compris terminées")],
    )

    def clean_cpv(self) -> str:
        value = self.cleaned_data.get("cpv", "").strip()
        if value and not value.replace("-", "").isdigit():
            raise ValidationError("Un code CPV ne contient que des chiffres (et un tiret).")
        return value


class RegisterForm(forms.Form):
    email = forms.EmailField(label="Votre adresse e-mail")


class QuestionForm(forms.Form):
    text = forms.CharField(label="Votre question", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)


class CompanySignUpForm(forms.Form):
    siret = SiretField(label="SIRET", max_length=20, help_text="14 chiffres.")
    name = forms.CharField(label="Raison sociale", max_length=200)
    address = forms.CharField(label="Adresse", widget=forms.Textarea(attrs={"rows": 2}))
    postal_code = forms.CharField(label="Code postal", max_length=10)
    city = forms.CharField(label="Commune", max_length=100)
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)
    first_name = forms.CharField(label="Votre prénom", max_length=100)
    last_name = forms.CharField(label="Votre nom", max_length=100)
    email = forms.EmailField(label="Votre adresse e-mail", help_text="Elle sert d'identifiant de connexion.")
    password = forms.CharField(label="Mot de passe", widget=forms.PasswordInput, min_length=12)
    password_again = forms.CharField(label="Mot de passe (à nouveau)", widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password and password != data.get("password_again"):
            self.add_error("password_again", "Les deux mots de passe ne sont pas identiques.")
        elif password:
            try:
                validate_password(password)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class OperatorFilterForm(forms.Form):
    q = forms.CharField(label="Recherche", required=False, max_length=200)
    status = forms.ChoiceField(label="État", required=False, choices=[("", "Tous"), *Status.choices])
