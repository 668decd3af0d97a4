"""Procurement models: consultations and lots, notices, DCE files, downloads, questions, companies,
and the event history that the bids and contracts apps append to."""

from bouquet.marches.models.companies import Company, CompanyMembership
from bouquet.marches.models.consultation import Consultation, Lot
from bouquet.marches.models.documents import DceFile
from bouquet.marches.models.downloads import Download, Downloader
from bouquet.marches.models.history import ConsultationEvent
from bouquet.marches.models.notices import NoticeVersion
from bouquet.marches.models.questions import Question

__all__ = [
    "Company",
    "CompanyMembership",
    "Consultation",
    "ConsultationEvent",
    "DceFile",
    "Download",
    "Downloader",
    "Lot",
    "NoticeVersion",
    "Question",
]
