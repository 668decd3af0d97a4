"""Forms of the support pages. They check what was typed; the business rules stay in the services."""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import timezone

from bouquet.core.models import Authority, Membership
from bouquet.support.choices import CallOutcome, RequestStatus, SessionMode, Theme
from bouquet.support.services.faq import MAX_ANSWER, MAX_QUESTION, FaqData
from bouquet.support.services.phone_calls import MAX_MINUTES, CallData
from bouquet.support.services.schedule_session import SessionData

__all__ = [
    "CallForm",
    "FaqEntryForm",
    "FaqSearchForm",
    "RegistrationForm",
    "ReplyForm",
    "RequestForm",
    "ServiceForm",
    "SessionForm",
    "StatusForm",
    "YearForm",
]

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_MESSAGE = 10_000


class YearForm(forms.Form):
    annee = forms.IntegerField(min_value=2000, max_value=2100, required=False)

    def year(self) -> int:
        if self.is_valid() and self.cleaned_data["annee"]:
            return self.cleaned_data["annee"]
        return timezone.localdate().year


class FaqSearchForm(forms.Form):
    q = forms.CharField(
        label="Rechercher dans l'aide",
        max_length=100,
        required=False,
        error_messages={"max_length": "Votre recherche est trop longue (100 caractères au plus)."},
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "ex. : certificat, PES, convention"}),
    )


def participant_field(authority) -> forms.ModelChoiceField:
    """Colleagues of the current authority only (active memberships)."""
    members = Membership.objects.for_tenant(authority).filter(is_active=True, user__is_active=True)
    return forms.ModelChoiceField(
        label="Participant",
        queryset=members.select_related("user").order_by("user__last_name", "user__first_name"),
        error_messages={"invalid_choice": "Choisissez une personne de votre collectivité."},
    )


class RegistrationForm(forms.Form):
    def __init__(self, *args, authority, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"] = participant_field(authority)
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user.full_name} (vous)" if m.user_id == user.pk else m.user.full_name
        )
        mine = next((m for m in self.fields["membership"].queryset if m.user_id == user.pk), None)
        if mine is not None:
            self.fields["membership"].initial = mine.pk


class SessionForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=200)
    day = forms.DateField(label="Date", widget=DATE_INPUT)
    start = forms.TimeField(label="Début", widget=TIME_INPUT, initial=dt.time(14, 0))
    end = forms.TimeField(label="Fin", widget=TIME_INPUT, initial=dt.time(16, 0))
    mode = forms.ChoiceField(label="Modalité", choices=SessionMode.choices, initial=SessionMode.ONLINE)
    location = forms.CharField(
        label="Lien de connexion ou adresse",
        max_length=500,
        required=False,
        help_text="Pour une session en ligne, le lien de la visioconférence ; sinon, l'adresse de la salle.",
    )
    capacity = forms.IntegerField(label="Nombre de places", min_value=1)
    description = forms.CharField(
        label="Programme", widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )
    confirm_unusual_slot = forms.BooleanField(
        label="Confirmer ce créneau inhabituel",
        required=False,
        help_text="Les formations ont lieu d'habitude le mardi et le vendredi après-midi.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ceiling = settings.SUPPORT_TRAINING_MAX_CAPACITY
        capacity = self.fields["capacity"]
        capacity.max_value = ceiling
        capacity.widget.attrs["max"] = ceiling
        capacity.validators.append(
            MaxValueValidator(ceiling, f"Une session compte {ceiling} places au plus.")
        )
        capacity.initial = min(settings.SUPPORT_TRAINING_CAPACITY, ceiling)
        capacity.help_text = f"{ceiling} au plus, pour garder des petits groupes."

    @classmethod
    def initial_for(cls, session) -> dict:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "title": session.title,
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "mode": session.mode,
            "location": session.location,
            "capacity": session.capacity,
            "description": session.description,
            "confirm_unusual_slot": session.outside_usual_slot,
        }

    def data_object(self) -> SessionData:
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        return SessionData(
            title=data["title"],
            starts_at=timezone.make_aware(dt.datetime.combine(data["day"], data["start"]), tz),
            ends_at=timezone.make_aware(dt.datetime.combine(data["day"], data["end"]), tz),
            capacity=data["capacity"],
            mode=data["mode"],
            location=data["location"],
            description=data["description"],
        )


class FaqEntryForm(forms.Form):
    theme = forms.ChoiceField(label="Thème", choices=Theme.choices)
    question = forms.CharField(label="Question", max_length=MAX_QUESTION)
    answer = forms.CharField(
        label="Réponse",
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Texte simple : une ligne vide entre deux paragraphes, « - » en début de ligne pour une "
        "liste, **gras**, [texte du lien](https://adresse). Le HTML est affiché tel quel, jamais interprété.",
    )
    position = forms.IntegerField(label="Ordre dans le thème", min_value=0, max_value=1000, initial=100)
    is_published = forms.BooleanField(label="Publiée (visible des adhérents)", required=False, initial=True)

    def data_object(self) -> FaqData:
        return FaqData(**self.cleaned_data)


class RequestForm(forms.Form):
    theme = forms.ChoiceField(label="Thème", choices=Theme.choices)
    subject = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(
        label="Votre question",
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Décrivez ce que vous faisiez, ce qui s'est passé, et le message d'erreur s'il y en a un.",
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Votre réponse", max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 5})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="État", choices=RequestStatus.choices)


class CallForm(forms.Form):
    authority = forms.ModelChoiceField(label="Collectivité", queryset=Authority.objects.none())
    caller = forms.CharField(label="Interlocuteur", max_length=200)
    day = forms.DateField(label="Date", widget=DATE_INPUT)
    time = forms.TimeField(label="Heure", widget=TIME_INPUT)
    theme = forms.ChoiceField(label="Thème", choices=Theme.choices)
    subject = forms.CharField(label="Objet", max_length=300)
    duration_minutes = forms.IntegerField(label="Durée (minutes)", min_value=1, max_value=MAX_MINUTES)
    outcome = forms.ChoiceField(label="Suite donnée", choices=CallOutcome.choices)
    notes = forms.CharField(
        label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, served, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = served.order_by("name")
        self.fields["authority"].error_messages["invalid_choice"] = "Choisissez une collectivité adhérente."
        now = timezone.localtime()
        self.fields["day"].initial = now.date()
        self.fields["time"].initial = now.time().replace(second=0, microsecond=0)

    def data_object(self) -> CallData:
        data = self.cleaned_data
        called_at = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        return CallData(
            caller=data["caller"],
            called_at=called_at,
            theme=data["theme"],
            subject=data["subject"],
            duration_minutes=data["duration_minutes"],
            outcome=data["outcome"],
            notes=data["notes"],
        )


class ServiceForm(forms.Form):
    threshold = forms.IntegerField(label="Seuil d'ouverture (collectivités)", min_value=1, max_value=10_000)
    summary = forms.CharField(label="En une phrase", max_length=300)
    description = forms.CharField(
        label="Description", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
