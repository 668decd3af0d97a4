"""The consultation's event history, shared with the bids and contracts apps.

Call ``add_event`` inside the transaction of the change it describes (it is rolled back with
it). It writes only the history row: the caller still writes its journal entry with
``bouquet.core.audit.record``.
"""

from bouquet.core.audit import Actor
from bouquet.marches.models import Consultation, ConsultationEvent

__all__ = ["add_event"]


def add_event(consultation: Consultation, kind: str, message: str, actor=None, **data) -> ConsultationEvent:
    """Append one event to ``consultation``'s history.

    :param kind: a short stable code; other apps prefix theirs (``bids.deposit``, ``contracts.award``).
    :param message: the French sentence shown to buyers (and in the archive export).
    :param actor: an ``Actor`` (``core.audit``), a ``User``, or ``None`` for the system.
    :param data: JSON-serialisable details (ids, file names, hashes…).
    """
    if actor is None:
        actor = Actor.system()
    elif not isinstance(actor, Actor):
        actor = Actor.of_user(actor)
    return ConsultationEvent.objects.create(
        consultation=consultation,
        kind=kind[:50],
        message=message,
        actor_label=actor.label[:300],
        actor_user=actor.user,
        data=_jsonable(data),
    )


def _jsonable(data: dict) -> dict:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
