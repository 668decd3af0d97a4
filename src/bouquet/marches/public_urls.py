"""Public pages (mounted at /consultations/): anyone may search and download; companies log in to ask."""

from django.urls import path

from bouquet.marches.views import company, public

app_name = "marches_public"

urlpatterns = [
    path("", public.search, name="search"),
    path("<int:pk>/", public.consultation, name="consultation"),
    path("<int:pk>/dce/<int:file_pk>/", public.dce_file, name="dce_file"),
    path("<int:pk>/dce.zip", public.dce_zip, name="dce_zip"),
    path("<int:pk>/alertes/", public.register, name="register"),
    path("<int:pk>/questions/", company.question_ask, name="question_ask"),
    path("alertes/<str:token>/", public.unsubscribe_view, name="unsubscribe"),
    path("entreprise/", company.company_home, name="company_home"),
    path("entreprise/inscription/", company.sign_up, name="company_sign_up"),
    path("entreprise/connexion/", company.company_login, name="company_login"),
]
