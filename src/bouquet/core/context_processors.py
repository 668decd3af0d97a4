from bouquet.core.models import Membership


def tenancy(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_authority": getattr(request, "authority", None),
        "my_memberships": Membership.objects.filter(user=user, is_active=True, authority__status="active")
        .select_related("authority")
        .order_by("authority__name"),
        "is_operator_staff": user.operator_roles.exists(),
    }
