from django.urls import path, register_converter

from bouquet.web.modules import ModuleSlugConverter
from bouquet.web.views import auth, dashboard, operator

app_name = "web"

register_converter(ModuleSlugConverter, "module")

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("connexion/", auth.login_view, name="login"),
    path("connexion/code/", auth.login_code, name="login_code"),
    path("deconnexion/", auth.logout_view, name="logout"),
    path("compte/double-authentification/", auth.totp_settings, name="totp"),
    path("collectivite/", dashboard.switch_authority, name="switch_authority"),
    path("operateur/", operator.operator_dashboard, name="operator_dashboard"),
    path("operateur/collectivites/", operator.member_list, name="operator_members"),
    path("operateur/collectivites/<int:pk>/", operator.member_detail, name="operator_member_detail"),
    path("operateur/utilisateurs/", operator.user_list, name="operator_users"),
    path("<module:module>/", dashboard.module_dashboard, name="module_dashboard"),
]
