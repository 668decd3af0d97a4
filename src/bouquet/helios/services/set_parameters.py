"""Record an authority's Hélios parameters (its "site destinataire" P_DEST, from its Trésorerie)."""

from django.core.exceptions import ValidationError
from django.db import transaction as db

from bouquet.core.audit import Actor, record
from bouquet.helios.errors import HeliosServiceError
from bouquet.helios.models import HeliosParameters
from bouquet.helios.models.parameters import validate_p_dest

__all__ = ["set_parameters"]


def set_parameters(*, authority, actor: Actor, p_dest: str) -> HeliosParameters:
    """Create or update the authority's parameters (operator staff or the authority's administrator:
    the caller checks who may). ``p_dest`` ``""`` removes the destination: nothing will be sent.

    :raises HeliosServiceError: ``p_dest`` is not a valid code.
    """
    p_dest = (p_dest or "").strip().upper()
    if p_dest:
        try:
            validate_p_dest(p_dest)
        except ValidationError as exc:
            raise HeliosServiceError(exc.messages[0]) from None
    with db.atomic():
        parameters, _ = HeliosParameters.objects.select_for_update().get_or_create(authority=authority)
        before = parameters.p_dest
        parameters.p_dest = p_dest
        parameters.updated_by = actor.user
        parameters.save()
        if before != p_dest:
            record(
                actor=actor,
                action="helios.parameters",
                authority=authority,
                obj=parameters,
                details={"p_dest": {"before": before, "after": p_dest}},
            )
    return parameters
