"""The event's CfP questions on the set-up pages: the list, and new, edit and delete (the objects.py
pattern shared with rooms and tracks). An answer's file is downloaded here by the team members who
may read it on the proposal's page."""

import csv
import io

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy

from podium.cfp import downloads, services
from podium.cfp import queries as cfp_queries
from podium.interop.exporters.csv import names_cell, safe_cell
from podium.orga.access import event_permission
from podium.orga.forms.questions import CfpQuestionForm
from podium.orga.views.objects import Kind, views

can_edit_event = event_permission("can_edit_event")


def question_kind(*, key: str, list_name: str, form: type, objects, services) -> Kind:
    """The `Kind` of a list of questions: the CfP's here, registration's (registration_setup.py).
    `services` saves and deletes them (`save_question`, `delete_question`)."""
    return Kind(
        key=key,
        noun=gettext_lazy("question"),
        list_name=list_name,
        form=form,
        objects=objects,
        label=lambda obj: obj.label,
        save=lambda *, event, by, form, obj, version: services.save_question(
            event=event, by=by, data=form.service_data(), question=obj, version=version
        ),
        delete=lambda obj, by: services.delete_question(question=obj, by=by),
    )


def question_list(request, questions, template: str):
    """A list page of questions with how many answers each has."""
    questions = questions.annotate(answer_count=Count("answers"))
    return render(request, template, {"event": request.event, "questions": questions})


CFP_QUESTION = question_kind(
    key="cfp_question",
    list_name="cfp_questions",
    form=CfpQuestionForm,
    objects=lambda event: event.cfp_questions.all(),
    services=services,
)
object_new, object_edit, object_delete = views((CFP_QUESTION,), can_edit_event)


@can_edit_event
def cfp_questions(request, event):
    questions = request.event.cfp_questions.prefetch_related("tracks", "session_types").order_by(
        "position", "pk"
    )
    return question_list(request, questions, "orga/setup/cfp_questions.html")


@event_permission("can_edit_event", "can_review", "can_schedule", "can_send_mail")
def answer_file(request, event, answer):
    """An answer's file, for team members who may read the answer (podium.cfp.queries)."""
    found = cfp_queries.answer_file_for_viewer(request.user, request.event, answer)
    if found is None:
        raise Http404
    return downloads.file_response(found)


@can_edit_event
def proposals_csv(request, event):
    """Every proposal of the event with one column per CfP question (organisers read every answer;
    answers about speakers joined over the proposal's speakers). Formula-like cells are quoted."""
    event = request.event
    proposals = list(
        event.proposals.select_related("track", "session_type")
        .prefetch_related("speakers")
        .order_by("created", "pk")
    )
    asked, table = cfp_queries.proposal_answer_table(event, proposals)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["code", "title", "state", "track", "session_type", "speakers", "emails"]
        + [f"{q.label} ({'speaker' if q.about_speaker else 'proposal'})" for q in asked]
    )
    for proposal in proposals:
        speakers = list(proposal.speakers.all())
        row = [
            proposal.code,
            proposal.title,
            proposal.state,
            proposal.track.name if proposal.track_id else "",
            proposal.session_type.name,
            "; ".join(names_cell(user.name) for user in speakers),
            "; ".join(user.email for user in speakers),
            *(table[proposal.pk].get(q.pk, "") for q in asked),
        ]
        writer.writerow([safe_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-proposals.csv"'
    add_never_cache_headers(response)
    return response
