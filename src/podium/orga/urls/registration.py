"""Back-office URLs of registration: settings, ticket types, questions, vouchers, orders, attendees,
tickets issued by hand, the attendee import and the waiting list."""

from django.urls import path

from podium.orga.views import attendees, orders, registration_setup

urlpatterns = [
    path(
        "event/<slug:event>/registration/",
        registration_setup.registration_settings,
        name="registration_settings",
    ),
    path(
        "event/<slug:event>/registration/ticket-types/", registration_setup.ticket_types, name="ticket_types"
    ),
    path("event/<slug:event>/registration/questions/", registration_setup.questions, name="questions"),
    path("event/<slug:event>/registration/vouchers/", registration_setup.vouchers, name="vouchers"),
    # Ticket types, questions and vouchers share their new, edit and delete views (views/objects.py).
    *[
        route
        for prefix, kind in (
            ("ticket-types", "ticket_type"),
            ("questions", "question"),
            ("vouchers", "voucher"),
        )
        for route in (
            path(
                f"event/<slug:event>/registration/{prefix}/new/",
                registration_setup.object_new,
                {"kind": kind},
                name=f"{kind}_new",
            ),
            path(
                f"event/<slug:event>/registration/{prefix}/<int:pk>/",
                registration_setup.object_edit,
                {"kind": kind},
                name=f"{kind}_edit",
            ),
            path(
                f"event/<slug:event>/registration/{prefix}/<int:pk>/delete/",
                registration_setup.object_delete,
                {"kind": kind},
                name=f"{kind}_delete",
            ),
        )
    ],
    path(
        "event/<slug:event>/registration/waiting-list/", registration_setup.waiting_list, name="waiting_list"
    ),
    path("event/<slug:event>/registration/issue/", orders.issue, name="tickets_issue"),
    path("event/<slug:event>/registration/import/", orders.import_attendees, name="attendees_import"),
    path("event/<slug:event>/orders/", orders.orders, name="orders"),
    path("event/<slug:event>/orders/<str:code>/", orders.order, name="order"),
    *[
        path(
            f"event/<slug:event>/orders/<str:code>/{slug}/",
            orders.order_action,
            {"action": action},
            name=f"order_{action}",
        )
        for slug, action in (("mark-paid", "mark_paid"), ("cancel", "cancel"), ("refund", "refund"))
    ],
    path("event/<slug:event>/attendees/", attendees.attendees, name="attendees"),
    path("event/<slug:event>/attendees.csv", attendees.attendees_csv, name="attendees_csv"),
]
