from django.urls import include, path

urlpatterns = [
    path("", include("bouquet.web.urls")),
    path("", include("bouquet.pki.urls")),
]
