"""Shared pieces of the support tests: sessions at chosen times, extra agents of authority A."""

import datetime as dt

from django.utils import timezone

from bouquet.core.choices import Role
from bouquet.core.models import Membership, User
from bouquet.support.models import TrainingSession
from bouquet.test import BaseTestCase

TUESDAY, WEDNESDAY, FRIDAY = 1, 2, 4


def next_day(weekday: int, hour: int = 14, minute: int = 0, weeks: int = 2) -> dt.datetime:
    """An aware local datetime on ``weekday`` at least ``weeks`` weeks from now."""
    day = timezone.localdate() + dt.timedelta(weeks=weeks)
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_session(operator, starts_at=None, capacity=10, hours=2, **fields) -> TrainingSession:
    """A session straight in the database (past ones included, which the service refuses to create)."""
    starts_at = starts_at or next_day(TUESDAY)
    return TrainingSession.objects.create(
        operator=operator,
        title=fields.pop("title", "Prise en main des actes"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        capacity=capacity,
        **fields,
    )


class SupportTestCase(BaseTestCase):
    """BaseTestCase plus eleven more agents of authority A (to fill a session of ten)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.agents = [make_agent(f"agent{n}@a.example.test", cls.authority_a) for n in range(11)]


def make_agent(email: str, authority, role=Role.AGENT) -> User:
    """A member without a usable password: no password hashing, which costs a lot on a busy machine."""
    user = User(email=email, first_name=email.split("@")[0].capitalize(), last_name="Test")
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, authority=authority, role=role)
    return user
