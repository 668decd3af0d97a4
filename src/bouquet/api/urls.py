"""REST API v1 (mounted at /api/v1/): JSON, OpenAPI 3 document at ``schema/``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from bouquet.api.views import classification, helios, letters, me, transactions

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI document is public: it describes the API, not anyone's data."""

    authentication_classes = []
    permission_classes = []


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("me/", me.MeView.as_view(), name="me"),
    path("transactions/", transactions.TransactionListView.as_view(), name="transaction_list"),
    path("transactions/<int:pk>/", transactions.TransactionDetailView.as_view(), name="transaction_detail"),
    path(
        "transactions/<int:pk>/files/", transactions.TransactionFilesView.as_view(), name="transaction_files"
    ),
    path(
        "transactions/<int:pk>/files/<int:file_id>/",
        transactions.TransactionFileView.as_view(),
        name="transaction_file",
    ),
    path("transactions/<int:pk>/post/", transactions.TransactionPostView.as_view(), name="transaction_post"),
    path(
        "transactions/<int:pk>/cancel/",
        transactions.TransactionCancelView.as_view(),
        name="transaction_cancel",
    ),
    path("letters/", letters.LetterListView.as_view(), name="letter_list"),
    path("letters/<int:pk>/answer/", letters.LetterAnswerView.as_view(), name="letter_answer"),
    path("letters/<int:pk>/read/", letters.LetterReadView.as_view(), name="letter_read"),
    path("classification/", classification.ClassificationView.as_view(), name="classification"),
    path("classification/raw/", classification.ClassificationRawView.as_view(), name="classification_raw"),
    path(
        "classification/request/",
        classification.ClassificationRequestView.as_view(),
        name="classification_request",
    ),
    path("helios/transactions/", helios.HeliosTransactionListView.as_view(), name="helios_transaction_list"),
    path("helios/preflight/", helios.HeliosPreflightView.as_view(), name="helios_preflight"),
    path(
        "helios/transactions/<int:pk>/",
        helios.HeliosTransactionDetailView.as_view(),
        name="helios_transaction_detail",
    ),
    path(
        "helios/transactions/<int:pk>/file/",
        helios.HeliosTransactionFileView.as_view(),
        name="helios_transaction_file",
    ),
    path(
        "helios/transactions/<int:pk>/acquit/",
        helios.HeliosTransactionAcquitView.as_view(),
        name="helios_transaction_acquit",
    ),
    path(
        "helios/transactions/<int:pk>/post/", helios.HeliosPostView.as_view(), name="helios_transaction_post"
    ),
    path(
        "helios/transactions/<int:pk>/cancel/",
        helios.HeliosCancelView.as_view(),
        name="helios_transaction_cancel",
    ),
    path("helios/retours/", helios.RetourListView.as_view(), name="helios_retour_list"),
    path("helios/retours/<int:pk>/file/", helios.RetourFileView.as_view(), name="helios_retour_file"),
    path("helios/retours/<int:pk>/read/", helios.RetourReadView.as_view(), name="helios_retour_read"),
]
