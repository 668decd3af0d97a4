"""/accompagnement/: members' trainings, help and services; the operator's pages under operateur/."""

from django.urls import path

from bouquet.support.views import (
    member_assistance,
    member_catalogue,
    member_trainings,
    operator_assistance,
    operator_catalogue,
    operator_trainings,
)

app_name = "support"

urlpatterns = [
    path("", member_assistance.home, name="home"),
    path("formations/", member_trainings.planning, name="trainings"),
    path("formations/<int:pk>/", member_trainings.training_detail, name="training_detail"),
    path("formations/<int:pk>/inscription/", member_trainings.training_register, name="training_register"),
    path("inscriptions/<int:pk>/annuler/", member_trainings.registration_cancel, name="registration_cancel"),
    path("inscriptions/<int:pk>/invitation.ics", member_trainings.registration_ics, name="registration_ics"),
    path("aide/", member_assistance.faq, name="faq"),
    path("demandes/", member_assistance.request_list, name="requests"),
    path("demandes/nouvelle/", member_assistance.request_new, name="request_new"),
    path("demandes/<int:pk>/", member_assistance.request_detail, name="request_detail"),
    path("demandes/<int:pk>/repondre/", member_assistance.request_reply, name="request_reply"),
    path("services/", member_catalogue.catalogue, name="catalogue"),
    path("services/<slug:code>/interet/", member_catalogue.service_interest, name="service_interest"),
    path("services/<slug:code>/retrait/", member_catalogue.service_withdraw, name="service_withdraw"),
    # Operator's pages
    path("operateur/", operator_assistance.operator_home, name="operator_home"),
    path("operateur/formations/", operator_trainings.operator_planning, name="operator_trainings"),
    path(
        "operateur/formations/nouvelle/",
        operator_trainings.operator_training_new,
        name="operator_training_new",
    ),
    path(
        "operateur/formations/<int:pk>/",
        operator_trainings.operator_training_detail,
        name="operator_training_detail",
    ),
    path(
        "operateur/formations/<int:pk>/modifier/",
        operator_trainings.operator_training_edit,
        name="operator_training_edit",
    ),
    path(
        "operateur/formations/<int:pk>/presences/",
        operator_trainings.operator_training_attendance,
        name="operator_training_attendance",
    ),
    path(
        "operateur/formations/<int:pk>/annuler/",
        operator_trainings.operator_training_cancel,
        name="operator_training_cancel",
    ),
    path(
        "operateur/inscriptions/<int:pk>/annuler/",
        operator_trainings.operator_registration_cancel,
        name="operator_registration_cancel",
    ),
    path("operateur/aide/", operator_assistance.operator_faq, name="operator_faq"),
    path("operateur/aide/nouvelle/", operator_assistance.operator_faq_new, name="operator_faq_new"),
    path("operateur/aide/<int:pk>/", operator_assistance.operator_faq_edit, name="operator_faq_edit"),
    path("operateur/demandes/", operator_assistance.operator_requests, name="operator_requests"),
    path(
        "operateur/demandes/<int:pk>/",
        operator_assistance.operator_request_detail,
        name="operator_request_detail",
    ),
    path(
        "operateur/demandes/<int:pk>/repondre/",
        operator_assistance.operator_request_reply,
        name="operator_request_reply",
    ),
    path(
        "operateur/demandes/<int:pk>/etat/",
        operator_assistance.operator_request_status,
        name="operator_request_status",
    ),
    path("operateur/appels/", operator_assistance.operator_calls, name="operator_calls"),
    path("operateur/services/", operator_catalogue.operator_services, name="operator_services"),
    path(
        "operateur/services/<slug:code>/",
        operator_catalogue.operator_service_detail,
        name="operator_service_detail",
    ),
    path(
        "operateur/services/<slug:code>/ouvrir/",
        operator_catalogue.operator_service_open,
        name="operator_service_open",
    ),
    path(
        "operateur/services/<slug:code>/modifier/",
        operator_catalogue.operator_service_edit,
        name="operator_service_edit",
    ),
]
