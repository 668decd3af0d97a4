from django.urls import path

from bouquet.helios.views import operator, retours, transactions, upload

app_name = "helios"

urlpatterns = [
    path("", transactions.transaction_list, name="list"),
    path("deposer/", upload.upload, name="upload"),
    path("deposer/confirmer/", upload.confirm, name="confirm"),
    path("retours/", retours.retour_list, name="retours"),
    path("retours/<int:pk>/fichier.xml", retours.download_retour, name="retour"),
    path("<int:pk>/", transactions.transaction_detail, name="detail"),
    path("<int:pk>/pes.xml", transactions.download_pes, name="pes"),
    path("<int:pk>/acquittements/<int:acquit_id>.xml", transactions.download_acquit, name="acquit"),
    path("<int:pk>/teletransmettre/", transactions.transmit, name="transmit"),
    path("<int:pk>/annuler/", transactions.cancel, name="cancel"),
    path("<int:pk>/signe/", transactions.sign, name="sign"),
    path("operateur/", operator.operator_list, name="operator_list"),
    path("operateur/bloques/", operator.stuck, name="operator_stuck"),
    path("operateur/retours/", operator.unassigned_retours, name="operator_retours"),
    path("operateur/retours/<int:pk>/affecter/", operator.assign, name="operator_assign"),
    path("operateur/fenetres/", operator.windows, name="operator_windows"),
    path("operateur/<int:pk>/", operator.operator_detail, name="operator_detail"),
    path("operateur/<int:pk>/erreur/", operator.operator_set_error, name="operator_set_error"),
    path("operateur/<int:pk>/relancer/", operator.operator_rollback, name="operator_rollback"),
]
