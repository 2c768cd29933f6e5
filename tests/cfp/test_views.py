import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from podium.proposals import services
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal, SpeakerProfile
from tests import factories

pytestmark = pytest.mark.django_db


def _png(size=(40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#3366cc").save(out, format="PNG")
    return out.getvalue()


def _submission(event, **extra):
    data = {
        "profile-name": "Guido Speaker",
        "profile-bio": "Writes Python.",
        "profile-website": "",
        "profile-social": "",
        "title": "Typing in anger",
        "abstract": "Types, pragmatically.",
        "description": "All the details.",
        "track": event.tracks.first().pk,
        "session_type": event.session_types.first().pk,
        "audience_level": "beginner",
        "language": "en",
        "notes": "",
        "idempotency_key": "key-123",
    }
    data.update(extra)
    return data


def test_cfp_page_shows_deadline_and_submit_link(client, event):
    response = client.get(reverse("cfp:cfp", kwargs={"event": event.slug}))

    content = response.content.decode()
    assert "Deadline" in content
    assert reverse("cfp:submit", kwargs={"event": event.slug}) in content


def test_submit_requires_login(client, event):
    response = client.get(reverse("cfp:submit", kwargs={"event": event.slug}))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_submit_creates_proposal_profile_and_photo(client, event, speaker):
    client.force_login(speaker)
    photo = SimpleUploadedFile("me.png", _png(), content_type="image/png")

    response = client.post(
        reverse("cfp:submit", kwargs={"event": event.slug}), {**_submission(event), "profile-photo": photo}
    )

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cfp:proposal", kwargs={"event": event.slug, "code": proposal.code}
    )
    assert proposal.title == "Typing in anger"
    assert proposal.ordered_speakers == [speaker]
    profile = SpeakerProfile.objects.get(event=event, user=speaker)
    assert profile.bio == "Writes Python."
    assert profile.photo.name.endswith(".png")
    assert profile.photo.name != "speakers/me.png"  # renamed, re-encoded
    speaker.refresh_from_db()
    assert speaker.name == "Guido Speaker"


def test_submit_twice_with_same_key_creates_one_proposal(client, event, speaker):
    client.force_login(speaker)
    url = reverse("cfp:submit", kwargs={"event": event.slug})

    first = client.post(url, _submission(event))
    second = client.post(url, _submission(event))

    assert Proposal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_submit_missing_title_keeps_input_and_saves_nothing(client, event, speaker):
    client.force_login(speaker)

    response = client.post(reverse("cfp:submit", kwargs={"event": event.slug}), _submission(event, title=""))

    assert response.status_code == 200
    content = response.content.decode()
    assert "This field is required." in content
    assert "Types, pragmatically." in content
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("fake.png", b"<script>alert(1)</script>", "not a readable image"),
        ("doc.png", b"%PDF-1.4 not an image", "not a readable image"),
        ("anim.gif", None, "JPEG, PNG or WebP"),
        ("huge.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 10), "limit is 2 MB"),
    ],
)
def test_submit_bad_photo_is_refused_by_content(client, event, speaker, name, payload, message):
    if payload is None:
        out = io.BytesIO()
        Image.new("RGB", (10, 10)).save(out, format="GIF")
        payload = out.getvalue()
    client.force_login(speaker)
    upload = SimpleUploadedFile(name, payload, content_type="image/png")

    response = client.post(
        reverse("cfp:submit", kwargs={"event": event.slug}), {**_submission(event), "profile-photo": upload}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Proposal.objects.count() == 0
    assert not SpeakerProfile.objects.filter(photo__gt="").exists()


def test_submit_refused_after_deadline(client, event, speaker):
    event.cfp_closes = event.cfp_opens + (event.cfp_closes - event.cfp_opens) / 100
    event.save()
    client.force_login(speaker)

    response = client.post(
        reverse("cfp:submit", kwargs={"event": event.slug}), _submission(event), follow=True
    )

    assert "closed" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_speaker_edits_proposal_and_stale_edit_is_refused(client, proposal, speaker):
    client.force_login(speaker)
    url = reverse("cfp:proposal", kwargs={"event": proposal.event.slug, "code": proposal.code})
    form = {
        "title": "Better title",
        "abstract": "A",
        "description": "D",
        "track": proposal.track_id,
        "session_type": proposal.session_type_id,
        "audience_level": "advanced",
        "language": "en",
        "notes": "",
        "version": proposal.version,
    }

    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "title": "Stale title"})

    proposal.refresh_from_db()
    assert proposal.title == "Better title"
    assert "Someone else saved this proposal" in stale.content.decode()


def test_other_user_cannot_open_someone_elses_proposal(client, proposal):
    client.force_login(factories.UserFactory())

    response = client.get(
        reverse("cfp:proposal", kwargs={"event": proposal.event.slug, "code": proposal.code})
    )

    assert response.status_code == 404


def test_withdraw(client, proposal, speaker):
    client.force_login(speaker)

    client.post(reverse("cfp:withdraw", kwargs={"event": proposal.event.slug, "code": proposal.code}))

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN


def test_co_speaker_invite_page_flow(client, proposal, speaker):
    client.force_login(speaker)
    client.post(
        reverse("cfp:invite_cospeaker", kwargs={"event": proposal.event.slug, "code": proposal.code}),
        {"email": "co@example.org"},
    )
    invite = proposal.invites.get()
    co = factories.UserFactory(email="co@example.org")
    client.force_login(co)

    client.post(reverse("cfp:invite", kwargs={"event": proposal.event.slug, "token": invite.token}))

    assert proposal.ordered_speakers == [speaker, co]


def test_co_speaker_invite_asks_a_visitor_to_sign_up_with_the_invited_address(client, proposal):
    invite = proposal.invites.create(email="co+talk@example.org", token="t0ken")

    html = client.get(reverse("cfp:invite", kwargs={"event": proposal.event.slug, "token": invite.token}))

    path = reverse("cfp:invite", kwargs={"event": proposal.event.slug, "token": invite.token})
    query = f"?next={path}&amp;email=co%2Btalk%40example.org"
    assert f'href="{reverse("accounts:signup")}{query}"' in html.content.decode()
    assert f'href="{reverse("accounts:login")}{query}"' in html.content.decode()


def test_co_speaker_invite_bad_email_is_a_clear_error(client, proposal, speaker):
    client.force_login(speaker)

    response = client.post(
        reverse("cfp:invite_cospeaker", kwargs={"event": proposal.event.slug, "code": proposal.code}),
        {"email": "not-an-address"},
        follow=True,
    )

    assert "Enter a valid e-mail address" in response.content.decode()
    assert proposal.invites.count() == 0


def _accepted(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.ACCEPTED)
    proposal.refresh_from_db()
    return proposal


def test_confirm_link_get_changes_nothing_and_post_confirms(client, proposal, speaker):
    _accepted(proposal)
    url = reverse(
        "cfp:confirm",
        kwargs={"event": proposal.event.slug, "token": services.confirmation_token(proposal, speaker)},
    )

    page = client.get(url)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    assert "Confirm: I will present" in page.content.decode()

    client.post(url, {"action": "confirm"})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONFIRMED


def test_confirm_link_decline_withdraws(client, proposal, speaker):
    _accepted(proposal)
    url = reverse(
        "cfp:confirm",
        kwargs={"event": proposal.event.slug, "token": services.confirmation_token(proposal, speaker)},
    )

    client.post(url, {"action": "decline"})

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN


def test_confirm_link_tampered_is_refused(client, proposal, speaker):
    _accepted(proposal)
    token = services.confirmation_token(proposal, speaker)

    response = client.post(
        reverse("cfp:confirm", kwargs={"event": proposal.event.slug, "token": token[:-2] + "xx"}),
        {"action": "confirm"},
    )

    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED


@pytest.mark.parametrize("count", [2, 12])
def test_my_proposals_query_count_is_constant(client, event, speaker, django_assert_num_queries, count):
    for _ in range(count):
        factories.ProposalFactory(event=event, speakers=[speaker, factories.UserFactory()])
    client.force_login(speaker)
    url = reverse("cfp:my_proposals", kwargs={"event": event.slug})

    with django_assert_num_queries(5):
        response = client.get(url)

    assert len(response.context["proposals"]) == count


def test_profile_saves_availability_in_event_time_zone(client, event, speaker):
    client.force_login(speaker)
    day = event.days[0].isoformat()

    response = client.post(
        reverse("cfp:profile", kwargs={"event": event.slug}),
        {
            "name": "New Name",
            "bio": "Bio",
            "website": "example.org",
            "social": "",
            f"av-{day}_morning": "on",
            f"av-{day}_afternoon": "on",
        },
    )

    assert response.status_code == 302
    profile = SpeakerProfile.objects.get(event=event, user=speaker)
    window = profile.availabilities.get()
    assert window.start.astimezone(event.tz).hour == 8
    assert window.end.astimezone(event.tz).hour == 18
    assert profile.website == "https://example.org"
    page = client.get(reverse("cfp:profile", kwargs={"event": event.slug}))
    assert page.context["availability"].initial[f"{day}_morning"] is True


def _profile_post(client, event, **boxes):
    return client.post(
        reverse("cfp:profile", kwargs={"event": event.slug}),
        {"name": "New Name", "bio": "Bio", "website": "", "social": "", **{f"av-{k}": "on" for k in boxes}},
    )


def test_profile_saves_preferred_times_as_available_too(client, event, speaker):
    client.force_login(speaker)
    day = event.days[0].isoformat()

    response = _profile_post(client, event, **{f"{day}_morning": 1, f"{day}_afternoon_preferred": 1})

    assert response.status_code == 302
    profile = SpeakerProfile.objects.get(event=event, user=speaker)
    local = [
        (w.start.astimezone(event.tz).hour, w.end.astimezone(event.tz).hour, w.preferred)
        for w in profile.availabilities.order_by("preferred", "start")
    ]
    assert local == [(8, 18, False), (13, 18, True)]  # the preferred afternoon counts as available
    page = client.get(reverse("cfp:profile", kwargs={"event": event.slug}))
    initial = page.context["availability"].initial
    ticked = [f"{day}_morning", f"{day}_afternoon_preferred", f"{day}_morning_preferred"]
    assert [initial[name] for name in ticked] == [True, True, False]
    assert 'aria-label="I would rather present: ' in page.content.decode()


def test_profile_with_only_preferred_times_stays_available_all_event(client, event, speaker):
    client.force_login(speaker)
    day = event.days[1].isoformat()

    _profile_post(client, event, **{f"{day}_morning_preferred": 1, f"{day}_afternoon_preferred": 1})

    profile = SpeakerProfile.objects.get(event=event, user=speaker)
    window = profile.availabilities.get()
    assert window.preferred is True
    assert (window.start.astimezone(event.tz).hour, window.end.astimezone(event.tz).hour) == (8, 18)


def test_profile_bad_website_keeps_bio_and_saves_nothing(client, event, speaker):
    client.force_login(speaker)

    response = client.post(
        reverse("cfp:profile", kwargs={"event": event.slug}),
        {
            "name": "N",
            "bio": "Typed bio kept",
            "website": "http://",
            "social": "",
        },
    )

    assert response.status_code == 200
    assert "Typed bio kept" in response.content.decode()
    assert "Enter a valid URL." in response.content.decode()
    assert not SpeakerProfile.objects.filter(event=event, user=speaker).exists()


def test_cfp_deadline_is_shown_in_the_event_time_zone(client, event):
    import datetime as dt

    event.timezone = "America/Chicago"
    event.cfp_closes = dt.datetime(2031, 1, 15, 5, 59, tzinfo=dt.UTC)  # 23:59 the day before in Chicago
    event.save()

    content = client.get(reverse("cfp:cfp", kwargs={"event": event.slug})).content.decode()

    assert "14 January 2031, 23:59 CST" in content


def test_cfp_of_a_non_public_event_is_hidden_except_for_its_team_and_speakers(
    client, event, organiser_user, speaker
):
    event.is_public = False
    event.save()
    factories.ProposalFactory(event=event, speakers=[speaker])
    url = reverse("cfp:cfp", kwargs={"event": event.slug})

    assert client.get(url).status_code == 404
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(organiser_user)
    assert client.get(url).status_code == 200
    client.force_login(speaker)
    assert client.get(reverse("cfp:my_proposals", kwargs={"event": event.slug})).status_code == 200


def test_confirm_link_works_for_a_non_public_event(client, proposal, speaker):
    proposal.event.is_public = False
    proposal.event.save()
    _accepted(proposal)
    token = services.confirmation_token(proposal, speaker)

    client.post(
        reverse("cfp:confirm", kwargs={"event": proposal.event.slug, "token": token}), {"action": "confirm"}
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONFIRMED
