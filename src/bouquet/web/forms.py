from django import forms


class LoginForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail", widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Code à 6 chiffres",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": "Saisissez les 6 chiffres affichés par votre application."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "maxlength": "7",
                "pattern": r"\d{3}\s?\d{3}",
            }
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].replace(" ", "").strip()


class AuthorityFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, help_text="Nom, SIREN, SIRET ou commune membre")
    kind = forms.ChoiceField(label="Nature", required=False)
    status = forms.ChoiceField(label="État", required=False)
    arrondissement = forms.ChoiceField(label="Arrondissement", required=False)


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, help_text="Nom, prénom ou adresse e-mail")
