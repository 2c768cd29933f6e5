"""A speaker's answers to an event's CfP questions about speakers: their part of the export and of
the erasure. Answers about a proposal are part of the proposal, kept with its texts (like its title)."""

from django.db import transaction

from podium.cfp.models import Answer


def _answers(user):
    return Answer.objects.filter(profile__user=user).select_related("question__event").order_by("pk")


def export(user) -> dict:
    """Every answer the person gave about themselves, per event and question (a file by its stored
    name and the name it was uploaded with)."""
    return {
        "cfp_answers": [
            {
                "event": answer.question.event.slug,
                "question": answer.question.label,
                "value": answer.value,
                "options": answer.options,
                "file": answer.file.name if answer.file else "",
                "file_name": answer.file_name,
                "updated": answer.updated.isoformat(),
            }
            for answer in _answers(user)
        ]
    }


def erase(user) -> dict[str, int]:
    """Delete the person's answers about themselves; their files go once the erasure commits. Returns
    counts; call inside the erasure's transaction."""
    rows = list(_answers(user))
    files = [answer.file.name for answer in rows if answer.file]
    storage = Answer._meta.get_field("file").storage

    def delete_files():
        for name in files:
            if storage.exists(name):
                storage.delete(name)

    if files:
        transaction.on_commit(delete_files)
    return {"cfp answers": Answer.objects.filter(pk__in=[answer.pk for answer in rows]).delete()[0]}
