"""Schedule editor, automatic scheduling runs, breaks and release routes."""

from django.urls import path

from podium.orga.views import schedule, solver

urlpatterns = [
    path("event/<slug:event>/schedule/", schedule.editor, name="schedule"),
    path("event/<slug:event>/schedule/place/", schedule.place, name="schedule_place"),
    path("event/<slug:event>/schedule/unschedule/", schedule.unschedule, name="schedule_unschedule"),
    path("event/<slug:event>/schedule/pin/", schedule.pin, name="schedule_pin"),
    path("event/<slug:event>/schedule/session/<str:code>/", schedule.session_slot, name="schedule_slot"),
    path("event/<slug:event>/schedule/breaks/new/", schedule.break_new, name="schedule_break_new"),
    path("event/<slug:event>/schedule/breaks/<int:pk>/", schedule.break_edit, name="schedule_break_edit"),
    path(
        "event/<slug:event>/schedule/breaks/<int:pk>/delete/",
        schedule.break_delete,
        name="schedule_break_delete",
    ),
    path("event/<slug:event>/schedule/release/", schedule.release, name="schedule_release"),
    path("event/<slug:event>/schedule/solver/", solver.start, name="schedule_solver_start"),
    path("event/<slug:event>/schedule/solver/<uuid:uuid>/", solver.run_page, name="schedule_solver_run"),
    path(
        "event/<slug:event>/schedule/solver/<uuid:uuid>/progress/",
        solver.run_progress,
        name="schedule_solver_progress",
    ),
    path("event/<slug:event>/schedule/solver/<uuid:uuid>/apply/", solver.apply, name="schedule_solver_apply"),
    path(
        "event/<slug:event>/schedule/solver/<uuid:uuid>/discard/",
        solver.discard,
        name="schedule_solver_discard",
    ),
]
