"""Deposits of bids (mounted at /depots/): the companies' side, the practice space, and the buyers'
side (/depots/acheteur/…: register, opening, messages, award)."""

from django.urls import path

from bouquet.marches.bids.views import award, buyer, company, messages, practice, upload

app_name = "marches_bids"

urlpatterns = [
    # Companies
    path("<int:pk>/deposer/", company.deposit_page, name="deposit"),
    path("mes-plis/", company.my_deposits, name="my_deposits"),
    path("pli/<uuid:uuid>/", company.deposit_detail, name="deposit_detail"),
    path("pli/<uuid:uuid>/etat/", upload.status, name="deposit_status"),
    path("pli/<uuid:uuid>/fichier/<uuid:file_uuid>/", upload.piece, name="piece"),
    path("pli/<uuid:uuid>/valider/", upload.commit, name="commit"),
    path("pli/<uuid:uuid>/accuse-reception.pdf", company.ack_pdf, name="ack_pdf"),
    path("messages/", messages.company_inbox, name="company_inbox"),
    path("messages/<int:pk>/", messages.company_message, name="company_message"),
    path("<int:pk>/ecrire/", messages.company_write, name="company_write"),
    path("messages/<int:pk>/preuve.pdf", messages.message_proof, name="message_proof"),
    path("messages/<int:pk>/piece-jointe/", messages.message_attachment, name="message_attachment"),
    # Anyone
    path("entrainement/", practice.practice, name="practice"),
    path("entrainement/test/", practice.probe, name="probe"),
    path("heure/", practice.server_time, name="server_time"),
    path("<int:pk>/avis-attribution/", award.public_notice, name="award_notice"),
    # Buyers
    path("acheteur/<int:pk>/", buyer.register, name="buyer_register"),
    path("acheteur/<int:pk>/ouvrir/", buyer.open_view, name="open"),
    path("acheteur/<int:pk>/preuves.pdf", buyer.evidence_pdf, name="evidence_pdf"),
    path("acheteur/<int:pk>/copies-de-sauvegarde/", buyer.backups, name="backups"),
    path("acheteur/copie-de-sauvegarde/<int:pk>/", buyer.backup_action, name="backup_action"),
    path("acheteur/pli/<int:pk>/", buyer.deposit_view, name="buyer_deposit"),
    path("acheteur/fichier/<int:pk>/", buyer.file_download, name="buyer_file"),
    path("acheteur/<int:pk>/messages/", messages.buyer_messages, name="buyer_messages"),
    path("acheteur/<int:pk>/messages/<int:company_pk>/", messages.buyer_thread, name="buyer_thread"),
    path("acheteur/<int:pk>/attribution/", award.award_page, name="award"),
    path("acheteur/attribution/<int:pk>/notifier/", award.notify, name="notify"),
    path("acheteur/attribution/<int:pk>/reception/", award.receipt, name="receipt"),
    path("acheteur/<int:pk>/avis-attribution/", award.publish_notice, name="publish_notice"),
]
