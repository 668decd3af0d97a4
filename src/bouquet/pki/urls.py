from django.urls import path

from bouquet.pki import views

app_name = "pki"
urlpatterns = [
    path("operateur/certificats/", views.operator_certificates, name="operator_certificates"),
    path(
        "operateur/certificats/<int:pk>/",
        views.operator_certificate_detail,
        name="operator_certificate_detail",
    ),
]
