from django.urls import path, re_path

from bouquet.pki import client_views
from bouquet.s2low_api.views import (
    actes_create,
    actes_post,
    actes_prefecture,
    actes_read,
    common,
    helios_import,
    helios_read,
    stats,
)

app_name = "s2low_api"


def php(route: str, view, name: str):
    """S²LOW's path, tolerating the ``//`` Pastell sends when its base URL ends with a slash."""
    return re_path(r"^(?:/*)" + route.replace(".", r"\.") + "$", view, name=name)


ACTES = "modules/actes/"
HELIOS = "modules/helios/"
urlpatterns = [
    php("api/test-connexion.php", common.test_connexion, "test_connexion"),
    php("admin/users/api-list-login.php", common.list_login, "list_login"),
    php("api/get-nounce.php", common.get_nounce, "get_nounce"),
    php(ACTES + "actes_transac_create.php", actes_create.create, "actes_transac_create"),
    php(ACTES + "actes_transac_cancel.php", actes_create.cancel, "actes_transac_cancel"),
    php(
        ACTES + "actes_classification_request.php",
        actes_create.classification_request,
        "actes_classification_request",
    ),
    php(
        ACTES + "actes_transac_reponse_create.php",
        actes_create.reponse_create,
        "actes_transac_reponse_create",
    ),
    php(ACTES + "actes_transac_post_confirm_api.php", actes_post.post_confirm, "actes_post_confirm"),
    php(
        ACTES + "actes_transac_post_confirm_api_multi.php",
        actes_post.post_confirm_multi,
        "actes_post_confirm_multi",
    ),
    php(ACTES + "actes_transac_get_status.php", actes_read.get_status, "actes_transac_get_status"),
    php(
        ACTES + "actes_transac_get_files_list.php", actes_read.get_files_list, "actes_transac_get_files_list"
    ),
    php(ACTES + "actes_download_file.php", actes_read.download_file, "actes_download_file"),
    php(ACTES + "actes_transac_get_tampon.php", actes_read.get_tampon, "actes_transac_get_tampon"),
    php(ACTES + "actes_create_pdf.php", actes_read.create_pdf, "actes_create_pdf"),
    php(
        ACTES + "actes_classification_fetch.php",
        actes_read.classification_fetch,
        "actes_classification_fetch",
    ),
    php(
        ACTES + "api/list_document_prefecture.php",
        actes_prefecture.list_document_prefecture,
        "list_document_prefecture",
    ),
    php(
        ACTES + "api/document_prefecture_mark_as_read.php",
        actes_prefecture.mark_as_read,
        "document_prefecture_mark_as_read",
    ),
    php(
        ACTES + "actes_transac_get_document.php", actes_prefecture.get_document, "actes_transac_get_document"
    ),
    php(ACTES + "api/list_actes.php", stats.list_actes, "list_actes"),
    php(ACTES + "api/number_actes.php", stats.number_actes, "number_actes"),
    php(ACTES + "api/actes_status.php", stats.actes_status, "actes_status"),
    php(
        ACTES + "api/nb_actes_by_authorities_and_date.php",
        stats.nb_actes_by_authorities_and_date,
        "nb_actes_by_authorities_and_date",
    ),
    php(
        HELIOS + "api/helios_importer_fichier.php", helios_import.importer_fichier, "helios_importer_fichier"
    ),
    php(
        HELIOS + "api/helios_transac_get_status.php",
        helios_read.transac_get_status,
        "helios_transac_get_status",
    ),
    php(HELIOS + "helios_download_acquit.php", helios_read.download_acquit, "helios_download_acquit"),
    php(HELIOS + "api/helios_get_list.php", helios_read.get_list, "helios_get_list"),
    php(HELIOS + "api/helios_get_retour.php", helios_read.get_retour, "helios_get_retour"),
    php(HELIOS + "api/helios_change_status.php", helios_read.change_status, "helios_change_status"),
    path("connexion/certificat/", client_views.certificate_login, name="certificate_login"),
]
