from django.urls import path

from bouquet.reporting import views

app_name = "reporting"

urlpatterns = [
    path("statistiques/", views.member_statistics, name="member"),
    path("operateur/statistiques/", views.operator_statistics, name="operator"),
]
