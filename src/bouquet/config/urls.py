from django.urls import include, path

urlpatterns = [
    path("", include("bouquet.s2low_api.urls")),
    path("api/v1/", include("bouquet.api.urls")),
    path("actes/", include("bouquet.actes.urls")),
    path("", include("bouquet.pki.urls")),
    path("", include("bouquet.web.urls")),
]
