"""Buyers' contract pages, archives and imported history (/contrats/), and the operator's public
open-data files (/contrats/donnees-essentielles/)."""

from django.urls import path

from bouquet.marches.contracts.views import archive, contracts, history, opendata

app_name = "marches_contracts"

urlpatterns = [
    path("", contracts.contract_list, name="list"),
    path("<int:pk>/", contracts.contract_detail, name="detail"),
    path("<int:pk>/donnees/", contracts.contract_edit, name="edit"),
    path("<int:pk>/decp/", contracts.contract_preview, name="preview"),
    path("<int:pk>/publier/", contracts.contract_publish, name="publish"),
    path("<int:pk>/modifications/nouvelle/", contracts.modification_new, name="modification_new"),
    path("<int:pk>/fin-execution/", contracts.execution_end, name="execution_end"),
    path("consultations/<int:pk>/archive.zip", archive.consultation_archive, name="archive"),
    path("conservation/", archive.retention, name="retention"),
    path("historique/", history.history_list, name="history"),
    path("historique/importer/", history.history_import, name="history_import"),
    path("historique/<int:pk>/", history.history_detail, name="history_detail"),
    path("donnees-essentielles/", opendata.opendata_home, name="opendata"),
    path("donnees-essentielles/<int:operator_id>/decp.json", opendata.opendata_json, name="opendata_json"),
    path("donnees-essentielles/<int:operator_id>/decp.xml", opendata.opendata_xml, name="opendata_xml"),
    path(
        "donnees-essentielles/<int:operator_id>/profils-acheteurs.csv",
        opendata.opendata_dpa,
        name="opendata_dpa",
    ),
]
