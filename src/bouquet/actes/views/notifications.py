"""The ACTES e-mails a user receives for the current authority."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bouquet.actes.models.notifications import NotificationEvent
from bouquet.actes.services.set_notification_preferences import (
    notification_choices,
    set_notification_preferences,
)
from bouquet.actes.views.common import actes_view


@actes_view
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        chosen = set(request.POST.getlist("event")) & set(NotificationEvent.values)
        set_notification_preferences(user=request.user, authority=request.authority, enabled=chosen)
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("actes:notifications")
    choices = notification_choices(user=request.user, authority=request.authority)
    events = [(event, NotificationEvent(event).label, on) for event, on in choices.items()]
    return render(request, "actes/notifications.html", {"events": events})
