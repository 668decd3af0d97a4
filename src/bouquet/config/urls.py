from django.urls import include, path

urlpatterns = [
    path("", include("bouquet.s2low_api.urls")),
    path("", include("bouquet.pki.urls")),
    path("", include("bouquet.web.urls")),
]
