from django.urls import path, re_path

from bouquet.pki import client_views
from bouquet.s2low_api import views

app_name = "s2low_api"

# Pastell appends fixed paths to its base URL without normalising slashes ("https://host//api/…").
urlpatterns = [
    re_path(r"^(?:/*)api/test-connexion\.php$", views.test_connexion, name="test_connexion"),
    re_path(r"^(?:/*)admin/users/api-list-login\.php$", views.list_login, name="list_login"),
    re_path(r"^(?:/*)api/get-nounce\.php$", views.get_nounce, name="get_nounce"),
    path("connexion/certificat/", client_views.certificate_login, name="certificate_login"),
]
