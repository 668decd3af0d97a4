"""Buyers' private pages (mounted at /marches/) and the operator's overview (/marches/operateur/)."""

from django.urls import path

from bouquet.marches.views import buyer, buyer_actions, buyer_content, operator

app_name = "marches"

urlpatterns = [
    path("", buyer.home, name="home"),
    path("nouvelle/", buyer.consultation_new, name="new"),
    path("<int:pk>/", buyer.consultation_detail, name="detail"),
    path("<int:pk>/modifier/", buyer.consultation_edit, name="edit"),
    path("<int:pk>/lots/", buyer_content.lot_add, name="lot_add"),
    path("<int:pk>/lots/<int:lot_pk>/", buyer_content.lot_edit, name="lot_edit"),
    path("<int:pk>/lots/<int:lot_pk>/supprimer/", buyer_content.lot_delete, name="lot_delete"),
    path("<int:pk>/dce/", buyer_content.dce_upload, name="dce_upload"),
    path("<int:pk>/dce/<int:file_pk>/", buyer_content.dce_file, name="dce_file"),
    path("<int:pk>/dce/<int:file_pk>/supprimer/", buyer_content.dce_delete, name="dce_delete"),
    path("<int:pk>/publier/", buyer_actions.publish, name="publish"),
    path("<int:pk>/rectificatif/", buyer_actions.modify, name="modify"),
    path("<int:pk>/annuler/", buyer_actions.cancel, name="cancel"),
    path("<int:pk>/infructueuse/", buyer_actions.unsuccessful, name="unsuccessful"),
    path("<int:pk>/relancer/", buyer_actions.relaunch, name="relaunch"),
    path("<int:pk>/questions/<int:question_pk>/reponse/", buyer_actions.answer, name="answer"),
    path("<int:pk>/retraits/", buyer_actions.downloads, name="downloads"),
    path("operateur/", operator.operator_home, name="operator_home"),
    path("operateur/<int:pk>/", operator.operator_detail, name="operator_detail"),
]
