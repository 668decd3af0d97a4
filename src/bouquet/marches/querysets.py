"""Querysets of the procurement models: tenant scope comes from ``TenantQuerySet``; the public
scope (what anonymous visitors may see) is written here, once."""

from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet
from bouquet.marches.choices import PUBLIC_STATUSES, Status

__all__ = ["ConsultationQuerySet"]


class ConsultationQuerySet(TenantQuerySet):
    def public(self) -> "ConsultationQuerySet":
        """Consultations anyone may see: published once, whatever happened since."""
        return self.filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)

    def open_for_bids(self, now=None) -> "ConsultationQuerySet":
        """Published and before their bid deadline."""
        return self.filter(status=Status.PUBLISHED, bid_deadline__gt=now or timezone.now())

    def due_for_closing(self, now=None) -> "ConsultationQuerySet":
        return self.filter(status=Status.PUBLISHED, bid_deadline__lte=now or timezone.now())

    def real(self) -> "ConsultationQuerySet":
        """Without the practice (test) consultations."""
        return self.filter(is_test=False)

    def search_text(self, text: str) -> "ConsultationQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(reference__icontains=text)
            | models.Q(object__icontains=text)
            | models.Q(notice_text__icontains=text)
            | models.Q(authority__name__icontains=text)
            | models.Q(lots__object__icontains=text)
        ).distinct()

    def with_cpv(self, prefix: str) -> "ConsultationQuerySet":
        """Main CPV, additional CPV or a lot's CPV starting with ``prefix`` (a division: 45, 4521…)."""
        prefix = prefix.strip()
        if not prefix:
            return self
        return self.filter(
            models.Q(cpv_main__startswith=prefix)
            | models.Q(cpv_additional__icontains=f'"{prefix}')
            | models.Q(lots__cpv__startswith=prefix)
        ).distinct()
