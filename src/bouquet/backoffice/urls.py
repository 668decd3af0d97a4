from django.urls import path

from bouquet.backoffice.views import aids, conventions, documents, fees, home, kit, memberships

app_name = "backoffice"

urlpatterns = [
    path("", home.home, name="home"),
    path("adhesions/", memberships.membership_list, name="memberships"),
    path("adhesions/<int:pk>/", memberships.member_detail, name="member"),
    path("adhesions/<int:pk>/statut/", memberships.member_status, name="member_status"),
    path("adhesions/<int:pk>/conventions/nouvelle/", conventions.convention_create, name="convention_create"),
    path("adhesions/<int:pk>/kit/<slug:document>.pdf", kit.kit_document, name="kit_document"),
    path("cotisations/grille/", fees.fee_grid, name="fee_grid"),
    path("cotisations/grille/<int:pk>/", fees.fee_rule_edit, name="fee_rule_edit"),
    path("cotisations/appels/", fees.fee_calls, name="fee_calls"),
    path("cotisations/appels/emettre/", fees.fee_calls_issue, name="fee_calls_issue"),
    path("cotisations/appels/export.csv", fees.fee_calls_csv, name="fee_calls_csv"),
    path("cotisations/appels/export.xlsx", fees.fee_calls_xlsx, name="fee_calls_xlsx"),
    path("conventions/", conventions.convention_list, name="conventions"),
    path("conventions/<int:pk>/", conventions.convention_detail, name="convention"),
    path("conventions/<int:pk>/etat/", conventions.convention_status, name="convention_status"),
    path("conventions/<int:pk>/modifier/", conventions.convention_edit, name="convention_edit"),
    path("conventions/<int:pk>/fichiers/", conventions.convention_upload, name="convention_upload"),
    path("conventions/fichiers/<int:pk>/", conventions.convention_file, name="convention_file"),
    path("kit/", kit.kit, name="kit"),
    path("modeles/", documents.template_list, name="templates"),
    path("modeles/<slug:kind>/", documents.template_edit, name="template_edit"),
    path("modeles/<slug:kind>/reinitialiser/", documents.template_reset, name="template_reset"),
    path("parametres/", documents.settings_edit, name="settings"),
    path("aides/", aids.aid_list, name="aids"),
    path("aides/<int:pk>/", aids.aid_detail, name="aid"),
    path("aides/<int:pk>/modifier/", aids.aid_edit, name="aid_edit"),
    path("aides/<int:pk>/versements/", aids.aid_payment, name="aid_payment"),
    path("aides/<int:pk>/export.csv", aids.aid_csv, name="aid_csv"),
    path("aides/<int:pk>/export.xlsx", aids.aid_xlsx, name="aid_xlsx"),
]
