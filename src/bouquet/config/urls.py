from django.urls import include, path

urlpatterns = [
    path("", include("bouquet.s2low_api.urls")),
    path("api/v1/", include("bouquet.api.urls")),
    path("actes/", include("bouquet.actes.urls")),
    path("helios/", include("bouquet.helios.urls")),
    path("marches/", include("bouquet.marches.urls")),
    path("consultations/", include("bouquet.marches.public_urls")),
    path("depots/", include("bouquet.marches.bids.urls")),
    path("contrats/", include("bouquet.marches.contracts.urls")),
    path("accompagnement/", include("bouquet.support.urls")),
    path("operateur/gestion/", include("bouquet.backoffice.urls")),
    path("", include("bouquet.reporting.urls")),
    path("", include("bouquet.pki.urls")),
    path("", include("bouquet.web.urls")),
]
