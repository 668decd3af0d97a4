from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import path

app_name = "web"


def home(request):
    return HttpResponse("Bouquet")


urlpatterns = [
    path("", home, name="home"),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
]
