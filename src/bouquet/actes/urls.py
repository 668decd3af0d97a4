from django.urls import path

from bouquet.actes.views import create, letters, notifications, operator, transactions

app_name = "actes"

urlpatterns = [
    path("", transactions.transaction_list, name="list"),
    path("nouveau/", create.new_act, name="new"),
    path("lot/", create.batch, name="batch"),
    path("courriers/", letters.letter_list, name="letters"),
    path("notifications/", notifications.preferences, name="notifications"),
    path("<int:pk>/", transactions.transaction_detail, name="detail"),
    path("<int:pk>/fichiers/<int:file_id>/", transactions.download_file, name="file"),
    path("<int:pk>/accuse-reception.xml", transactions.download_ar, name="ar"),
    path("<int:pk>/acte-tamponne.pdf", transactions.download_stamped, name="stamped"),
    path("<int:pk>/bordereau.pdf", transactions.download_bordereau, name="bordereau"),
    path("<int:pk>/annuler/", transactions.cancel, name="cancel"),
    path("<int:pk>/teletransmettre/", transactions.teletransmit, name="teletransmit"),
    path("<int:pk>/repondre/", letters.answer, name="answer"),
    path("operateur/", operator.operator_list, name="operator_list"),
    path("operateur/bloquees/", operator.stuck, name="operator_stuck"),
    path("operateur/erreurs/", operator.errors, name="operator_errors"),
    path("operateur/erreurs/<int:pk>/rejouer/", operator.retry, name="operator_retry"),
    path("operateur/<int:pk>/", operator.operator_detail, name="operator_detail"),
]
