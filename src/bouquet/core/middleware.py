"""Selects the authority the user is working for (the switcher stores it in the session)."""

from bouquet.core.models import Membership

SESSION_KEY = "authority_id"


class CurrentAuthorityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.authority = None
        if request.user.is_authenticated:
            memberships = (
                Membership.objects.filter(user=request.user, is_active=True, authority__status="active")
                .select_related("authority")
                .prefetch_related("rights__module")
            )
            wanted = request.session.get(SESSION_KEY)
            chosen = next((m for m in memberships if m.authority_id == wanted), None) or next(
                iter(memberships), None
            )
            if chosen is not None:
                request.membership, request.authority = chosen, chosen.authority
        return self.get_response(request)
