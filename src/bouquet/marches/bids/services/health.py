"""The platform's health history: periodic samples, denser around bid deadlines.

`bouquet marches_bids monitor` samples every ``MARCHES_BIDS_HEALTH_INTERVAL_SECONDS`` when a
deadline is within ``MARCHES_BIDS_HEALTH_WINDOW_HOURS``, every 10 minutes otherwise; while
deposits arrive, the upload requests themselves take a sample when the last one is too old, so
the history exists around every deadline even where the monitor is not running.
"""

import os
import shutil
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection

from bouquet.marches.bids import clock
from bouquet.marches.bids.choices import DepositStatus, EvidenceKind
from bouquet.marches.bids.models import Deposit, EvidenceEvent, HealthSample, Piece
from bouquet.marches.choices import Status
from bouquet.marches.models import Consultation

__all__ = ["deadline_near", "maybe_sample", "samples_around", "take_sample"]

IDLE_INTERVAL = timedelta(minutes=10)


def _db_latency_ms() -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return round((time.perf_counter() - start) * 1000, 3)


def take_sample(source: str = "monitor", now: datetime | None = None) -> HealthSample:
    """Measure and store the platform's state now."""
    now = now or clock.now()
    minute_ago = now - timedelta(minutes=1)
    try:
        load = os.getloadavg()
    except OSError:  # pragma: no cover
        load = (0.0, 0.0, 0.0)
    return HealthSample.objects.create(
        at=now,
        source=source,
        load1=load[0],
        load5=load[1],
        load15=load[2],
        cpus=os.cpu_count() or 1,
        uploads_in_progress=Deposit.objects.filter(
            status=DepositStatus.UPLOADING, started_at__gte=now - timedelta(hours=6)
        ).count(),
        pieces_last_minute=Piece.objects.filter(received_at__gte=minute_ago).count(),
        errors_last_minute=EvidenceEvent.objects.filter(
            kind__in=[EvidenceKind.ERROR, EvidenceKind.CHUNK_REFUSED], at__gte=minute_ago
        ).count(),
        db_latency_ms=_db_latency_ms(),
        disk_free_bytes=shutil.disk_usage(
            settings.MEDIA_ROOT if os.path.isdir(settings.MEDIA_ROOT) else settings.VAR_DIR
        ).free,
    )


def maybe_sample(now: datetime | None = None) -> HealthSample | None:
    """A sample if the last one is older than the interval (called while deposits arrive)."""
    now = now or clock.now()
    interval = timedelta(seconds=settings.MARCHES_BIDS_HEALTH_INTERVAL_SECONDS)
    if HealthSample.objects.filter(at__gt=now - interval).exists():
        return None
    return take_sample("upload", now)


def deadline_near(now: datetime | None = None) -> bool:
    now = now or clock.now()
    window = timedelta(hours=settings.MARCHES_BIDS_HEALTH_WINDOW_HOURS)
    return Consultation.objects.filter(
        status__in=[Status.PUBLISHED, Status.CLOSED], bid_deadline__range=(now - window, now + window)
    ).exists()


def samples_around(deadline: datetime, hours: int | None = None):
    window = timedelta(hours=hours if hours is not None else settings.MARCHES_BIDS_HEALTH_WINDOW_HOURS)
    return HealthSample.objects.filter(at__range=(deadline - window, deadline + window)).order_by("at")


def next_pause(now: datetime | None = None) -> float:
    """Seconds until the monitor's next sample."""
    if deadline_near(now):
        return float(settings.MARCHES_BIDS_HEALTH_INTERVAL_SECONDS)
    return IDLE_INTERVAL.total_seconds()
