"""Reading CfP questions and answers: which questions a proposal or a speaker is asked, and the answers
a viewer may read (reviewers only those marked for them, and no answers about the speaker when the
event anonymises review: `proposals.rules.can_see_identity`)."""

from dataclasses import dataclass

from django.db.models import Q

from podium.cfp.models import Answer, Question, QuestionTarget
from podium.events.rules import permissions_for
from podium.proposals.models import ProposalSpeaker, SpeakerProfile
from podium.proposals.rules import can_see_identity, team_visible_proposals


def applies(question: Question, track_id, session_type_id) -> bool:
    """Whether `question` is asked of a proposal in this track and session type (its limits prefetched
    or read here; no limit of a kind: every one of that kind)."""
    tracks = {track.pk for track in question.tracks.all()}
    types = {session_type.pk for session_type in question.session_types.all()}
    return (not tracks or track_id in tracks) and (not types or session_type_id in types)


def event_questions(event, *, target: str | None = None, active_only: bool = True):
    """The event's questions in their order, with their track and session-type limits prefetched."""
    questions = Question.objects.filter(event=event).prefetch_related("tracks", "session_types")
    if target is not None:
        questions = questions.filter(target=target)
    if active_only:
        questions = questions.filter(active=True)
    return questions.order_by("position", "pk")


def proposal_questions(
    event, *, track_id=None, session_type_id=None, all_limits: bool = False
) -> list[Question]:
    """The active questions about a proposal in this track and session type (`all_limits`: every active
    one, whatever its limits: the form shows them all and says which track or type they belong to)."""
    questions = event_questions(event, target=QuestionTarget.PROPOSAL)
    return [q for q in questions if all_limits or applies(q, track_id, session_type_id)]


def speaker_pairs(profile) -> set[tuple]:
    """(track id, session type id) of every proposal of the profile's speaker in its event."""
    if profile is None or profile.pk is None:
        return set()
    return set(
        profile.event.proposals.filter(speakers=profile.user_id).values_list("track_id", "session_type_id")
    )


def speaker_questions(event, *, pairs: set[tuple], all_limits: bool = False) -> list[Question]:
    """The active questions about the speaker that apply to any of their proposals' (track, session
    type) `pairs`; a question without limits is always asked."""
    questions = event_questions(event, target=QuestionTarget.SPEAKER)
    return [
        q
        for q in questions
        if all_limits
        or (not q.tracks.all() and not q.session_types.all())
        or any(applies(q, track_id, type_id) for track_id, type_id in pairs)
    ]


def answers_of(*, proposal=None, profile=None) -> dict[int, Answer]:
    """{question id: answer} of a proposal or a speaker profile."""
    if proposal is not None:
        rows = Answer.objects.filter(proposal=proposal)
    elif profile is not None and profile.pk is not None:
        rows = Answer.objects.filter(profile=profile)
    else:
        return {}
    return {answer.question_id: answer for answer in rows.select_related("question")}


@dataclass
class ShownAnswer:
    question: Question
    answer: Answer | None
    speaker: str = ""  # for answers about a speaker: whose
    speaker_code: str = ""

    @property
    def display(self) -> str:
        return self.answer.display if self.answer is not None else ""


def reads_all_questions(user, event) -> bool:
    """Organisers (who edit or administer the event) read every answer; the rest of the team (reviewers,
    schedulers, mailers) only those to questions marked visible to reviewers."""
    perms = permissions_for(user, event)
    return perms.is_admin or perms.can_edit_event


def answers_for_viewer(user, proposal, *, own: bool = False) -> list[ShownAnswer]:
    """The answers of `proposal` that `user` may read, in the questions' order (see answers_by_proposal)."""
    return answers_by_proposal(user, proposal.event, [proposal], own=own)[proposal.pk]


def answers_by_proposal(user, event, proposals, *, own: bool = False) -> dict[int, list[ShownAnswer]]:
    """{proposal id: the answers `user` may read} for `proposals` of `event`, in a few queries.

    Answers about the proposal (every question that applies to its track and session type, answered
    or not, and any other it has answers to), then answers about each speaker (their profile in the
    event). Team members who are not organisers read only questions visible to reviewers. Answers
    about a speaker are personal: nobody who may not see the speakers' identity (anonymised review)
    gets them. `own`: the speaker's own page, with every answer about the proposal and none about
    speakers (their own are on their profile page, and co-speakers' are theirs).
    """
    questions = list(event_questions(event, active_only=False))
    if not own and not reads_all_questions(user, event):
        questions = [q for q in questions if q.visible_to_reviewers]
    about_proposal = [q for q in questions if q.target == QuestionTarget.PROPOSAL]
    about_speaker = [q for q in questions if q.target == QuestionTarget.SPEAKER]
    ids = [p.pk for p in proposals]
    given = {
        (a.proposal_id, a.question_id): a
        for a in Answer.objects.filter(proposal_id__in=ids, question__in=about_proposal).select_related(
            "question"
        )
    }
    result = {
        p.pk: [
            ShownAnswer(q, given.get((p.pk, q.pk)))
            for q in about_proposal
            if (p.pk, q.pk) in given or (q.active and applies(q, p.track_id, p.session_type_id))
        ]
        for p in proposals
    }
    if own or not about_speaker or not can_see_identity(user, event):
        return result
    links = list(
        ProposalSpeaker.objects.filter(proposal_id__in=ids)
        .order_by("position", "pk")
        .values_list("proposal_id", "user_id")
    )
    profiles = {
        profile.user_id: profile
        for profile in SpeakerProfile.objects.filter(
            event=event, user_id__in={u for _, u in links}
        ).select_related("user")
    }
    by_profile: dict = {}
    rows = Answer.objects.filter(profile__in=list(profiles.values()), question__in=about_speaker)
    for answer in rows.select_related("question"):
        by_profile.setdefault(answer.profile_id, {})[answer.question_id] = answer
    for proposal_id, user_id in links:
        profile = profiles.get(user_id)
        mine = by_profile.get(profile.pk, {}) if profile else {}
        for q in about_speaker:
            if q.pk in mine:
                result[proposal_id].append(
                    ShownAnswer(
                        q,
                        mine[q.pk],
                        speaker=profile.user.name or profile.user.email,
                        speaker_code=profile.code,
                    )
                )
    return result


def answer_file_for_viewer(user, event, pk: int) -> Answer | None:
    """The answer with a file that `user` may download as a team member (as answers_for_viewer shows
    it on a proposal they may see), or None."""
    answer = (
        Answer.objects.filter(pk=pk, question__event=event)
        .exclude(file="")
        .select_related("question", "profile")
        .first()
    )
    if answer is None:
        return None
    if not answer.question.visible_to_reviewers and not reads_all_questions(user, event):
        return None
    visible = team_visible_proposals(user, event)
    if answer.proposal_id is not None:
        return answer if visible.filter(pk=answer.proposal_id).exists() else None
    if not can_see_identity(user, event):
        return None
    return answer if visible.filter(speakers=answer.profile.user_id).exists() else None


def own_answer_file(user, event, pk: int) -> Answer | None:
    """The answer with a file that `user` gave as a speaker of `event` (theirs, or their proposal's)."""
    if not user.is_authenticated:
        return None
    return (
        Answer.objects.filter(pk=pk, question__event=event)
        .exclude(file="")
        .filter(Q(profile__user=user) | Q(proposal__speakers=user))
        .distinct()
        .first()
    )


def proposal_answer_table(event, proposals) -> tuple[list[Question], dict[int, dict[int, str]]]:
    """For a CSV export: the event's questions (active or not) and {proposal id: {question id: the
    answer as text}}, answers about speakers joined with "; " over the proposal's speakers. The caller
    decides who may read them (organisers: everything)."""
    questions = list(event_questions(event, active_only=False))
    ids = [p.pk for p in proposals]
    table: dict[int, dict[int, str]] = {pk: {} for pk in ids}
    for answer in Answer.objects.filter(proposal_id__in=ids).select_related("question"):
        table[answer.proposal_id][answer.question_id] = answer.display
    speaker_qs = [q.pk for q in questions if q.target == QuestionTarget.SPEAKER]
    if speaker_qs:
        links = ProposalSpeaker.objects.filter(proposal_id__in=ids).order_by("position", "pk")
        users_of: dict[int, list[int]] = {}
        for proposal_id, user_id in links.values_list("proposal_id", "user_id"):
            users_of.setdefault(proposal_id, []).append(user_id)
        by_user: dict[int, dict[int, str]] = {}
        rows = Answer.objects.filter(profile__event=event, question_id__in=speaker_qs).select_related(
            "question", "profile"
        )
        for answer in rows:
            by_user.setdefault(answer.profile.user_id, {})[answer.question_id] = answer.display
        for proposal_id, users in users_of.items():
            for qid in speaker_qs:
                values = [by_user.get(user, {}).get(qid, "") for user in users]
                if any(values):
                    table[proposal_id][qid] = "; ".join(v for v in values if v)
    return questions, table
