"""The event's CfP questions (set-up) and the files given as answers."""

from django.urls import path

from podium.orga.views import questions

urlpatterns = [
    path("event/<slug:event>/cfp-questions/", questions.cfp_questions, name="cfp_questions"),
    path(
        "event/<slug:event>/cfp-questions/new/",
        questions.object_new,
        {"kind": "cfp_question"},
        name="cfp_question_new",
    ),
    path(
        "event/<slug:event>/cfp-questions/<int:pk>/",
        questions.object_edit,
        {"kind": "cfp_question"},
        name="cfp_question_edit",
    ),
    path("event/<slug:event>/exports/proposals.csv", questions.proposals_csv, name="export_proposals_csv"),
    path(
        "event/<slug:event>/cfp-questions/<int:pk>/delete/",
        questions.object_delete,
        {"kind": "cfp_question"},
        name="cfp_question_delete",
    ),
    path("event/<slug:event>/cfp-answers/<int:answer>/file/", questions.answer_file, name="cfp_answer_file"),
]
