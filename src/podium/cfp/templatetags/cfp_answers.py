"""`{% cfp_answers proposal %}`: the answers to the event's CfP questions that the page's viewer may read
(podium.cfp.queries.answers_for_viewer: reviewers only questions marked for them, no answers about
speakers under anonymised review), with links to files given as answers."""

from django import template

from podium.cfp.queries import answers_for_viewer

register = template.Library()


@register.inclusion_tag("cfp/_answers.html", takes_context=True)
def cfp_answers(context, proposal):
    request = context["request"]
    event = proposal.event
    return {
        "answers": answers_for_viewer(request.user, proposal),
        "event": event,
        "file_url": "orga:cfp_answer_file",
        "heading": "Answers to the CfP questions",
    }
