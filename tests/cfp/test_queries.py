import pytest

from podium.cfp import queries, services
from tests import factories
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_speaker_questions_apply_to_any_of_the_speakers_proposals(event, speaker):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    tutorial = event.session_types.get(name="Tutorial")
    services.save_question(event=event, by=None, data={"label": "All", "target": "speaker"})
    services.save_question(event=event, by=None, data={"label": "Web", "target": "speaker", "tracks": [web]})
    services.save_question(
        event=event,
        by=None,
        data={"label": "Data tutorial", "target": "speaker", "tracks": [data], "session_types": [tutorial]},
    )
    factories.ProposalFactory(event=event, speakers=[speaker], track=web)
    profile = event.speaker_profiles.get(user=speaker)

    pairs = queries.speaker_pairs(profile)

    assert [q.label for q in queries.speaker_questions(event, pairs=pairs)] == ["All", "Web"]
    assert [q.label for q in queries.speaker_questions(event, pairs=set())] == ["All"]
    assert [q.label for q in queries.speaker_questions(event, pairs={(data.pk, tutorial.pk)})] == [
        "All",
        "Data tutorial",
    ]
    assert len(queries.speaker_questions(event, pairs=set(), all_limits=True)) == 3


def test_the_answers_export_reads_a_constant_number_of_queries(client, event, organiser_user):
    services.save_question(event=event, by=None, data={"label": "Why?"})
    services.save_question(event=event, by=None, data={"label": "Diet", "target": "speaker"})
    client.force_login(organiser_user)

    def grow(count):
        for _ in range(count):
            speaker = factories.UserFactory()
            services.submit_with_answers(
                event=event,
                speaker=speaker,
                profile={"name": speaker.name, "bio": "B"},
                data={"title": "T", "abstract": "A", "session_type": event.session_types.first()},
                answers={q.pk: "Yes" for q in event.cfp_questions.all()},
            )

    assert_constant_queries(client, f"/orga/event/{event.slug}/exports/proposals.csv", grow)
