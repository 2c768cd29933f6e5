"""The information pages of the back office: who may reach them, a save, a preview, a refusal shown on
its field, a stale edit, delete, and another event's page."""

import html

import pytest
from django.urls import reverse

from podium.events import pages
from podium.events.models import Page, PageState
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(event, organiser_user):
    return pages.save_page(
        event=event, by=organiser_user, data={"title": "Venue", "body": "Hall **A**.", "position": 0}
    )


@pytest.fixture
def editor_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


def _url(name, event, **kwargs):
    return reverse(name, kwargs={"event": event.slug, **kwargs})


def _pages(event, page):
    return [
        _url("orga:pages", event),
        _url("orga:page_new", event),
        _url("orga:page_edit", event, pk=page.pk),
    ]


def _data(**changes):
    data = {"title": "Travel", "slug": "", "body": "Take the **train**.", "position": "", "state": "draft"}
    data.update(changes)
    return data


def test_pages_render_for_an_editor_and_the_menu_links_them(editor_client, event, page):
    for url in _pages(event, page):
        assert editor_client.get(url).status_code == 200

    menu = editor_client.get(_url("orga:event", event)).content.decode()
    assert _url("orga:pages", event) in menu


@pytest.mark.parametrize("flag", ["can_review", "can_schedule", "can_send_mail", "can_check_in"])
def test_pages_are_refused_to_a_team_member_who_may_not_edit_the_event(client, event, page, flag):
    client.force_login(factories.team_member(event, name="Others", **{flag: True}))

    assert [client.get(url).status_code for url in _pages(event, page)] == [403, 403, 403]
    assert client.post(_url("orga:page_delete", event, pk=page.pk)).status_code == 403
    assert Page.objects.filter(pk=page.pk).exists()


def test_pages_send_an_anonymous_visitor_to_log_in(client, event, page):
    for url in _pages(event, page):
        response = client.get(url)
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("accounts:login"))


def test_pages_are_refused_to_another_organisers_admin(client, event, page):
    other = factories.EventFactory()
    client.force_login(factories.team_member(other, is_admin=True, can_edit_event=True))

    assert [client.get(url).status_code for url in _pages(event, page)] == [403, 403, 403]


def test_page_new_saves_a_draft_and_lists_it_with_its_state_and_order(editor_client, event, page):
    response = editor_client.post(_url("orga:page_new", event), _data(), follow=True)

    saved = event.pages.get(title="Travel")
    assert (saved.slug, saved.state, saved.position, saved.body) == (
        "travel",
        PageState.DRAFT,
        1,
        "Take the **train**.",
    )
    listing = response.content.decode()
    assert response.redirect_chain[-1][0] == _url("orga:pages", event)
    assert ("Travel" in listing, "Draft" in listing, "/pages/travel/" in listing) == (True, True, True)


def test_page_edit_publishes_and_reorders(editor_client, event, page):
    response = editor_client.post(
        _url("orga:page_edit", event, pk=page.pk),
        _data(title="Venue", slug="venue", position="5", state="published", version=page.version),
    )

    page.refresh_from_db()
    assert response.status_code == 302
    assert (page.state, page.position, page.version) == (PageState.PUBLISHED, 5, 2)


def test_page_reserved_short_name_is_refused_on_its_field(editor_client, event, page):
    response = editor_client.post(_url("orga:page_new", event), _data(title="Talks"))

    form = response.context["form"]
    assert response.status_code == 200
    assert "site uses" in " ".join(form.errors["slug"])
    assert not event.pages.filter(title="Talks").exists()


def test_page_taken_short_name_is_refused_on_its_field(editor_client, event, page):
    response = editor_client.post(_url("orga:page_new", event), _data(title="Another venue", slug="venue"))

    assert "another page has" in " ".join(response.context["form"].errors["slug"])
    assert event.pages.count() == 1


def test_page_preview_renders_the_markdown_sanitised_and_saves_nothing(editor_client, event, page):
    body = "### Getting there\n\n- By **train**\n\n<script>alert('x')</script>"

    response = editor_client.post(
        _url("orga:page_edit", event, pk=page.pk), _data(body=body, version=page.version, preview="1")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert (
        response.context["preview"]
        == "<h3>Getting there</h3>\n<ul>\n<li>By <strong>train</strong></li>\n</ul>\n"
    )
    assert "<script>alert" not in content
    assert html.escape(body) in content  # the input is kept in the form, to save after looking
    assert response.context["form"]["version"].value() == str(page.version)
    page.refresh_from_db()
    assert (page.title, page.body, page.version) == ("Venue", "Hall **A**.", 1)


def test_only_a_kind_with_a_preview_has_the_preview_button(editor_client, event, page):
    assert 'name="preview"' in editor_client.get(_url("orga:page_edit", event, pk=page.pk)).content.decode()
    assert 'name="preview"' not in editor_client.get(_url("orga:track_new", event)).content.decode()


def test_page_stale_edit_shows_the_conflict_and_the_stored_text(editor_client, event, page, organiser_user):
    shown = page.version
    colleague = factories.team_member(event, name="Colleagues", can_edit_event=True)
    pages.save_page(
        event=event, by=colleague, data={"body": "Their text."}, page=Page.objects.get(pk=page.pk), version=1
    )

    response = editor_client.post(
        _url("orga:page_edit", event, pk=page.pk), _data(title="Venue", body="My text.", version=shown)
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert "Someone else changed this page" in response.content.decode()
    assert (form["body"].value(), form["version"].value()) == ("Their text.", 2)
    assert Page.objects.get(pk=page.pk).body == "Their text."


def test_page_delete_removes_it(editor_client, event, page):
    response = editor_client.post(_url("orga:page_delete", event, pk=page.pk), follow=True)

    assert not Page.objects.filter(pk=page.pk).exists()
    assert "was deleted" in response.content.decode()


def test_another_events_page_under_this_events_url_is_404(editor_client, event, page, organiser_user):
    other = factories.EventFactory(organiser=event.organiser)
    theirs = pages.save_page(event=other, by=None, data={"title": "Theirs"})

    assert editor_client.get(_url("orga:page_edit", event, pk=theirs.pk)).status_code == 404
    assert editor_client.post(_url("orga:page_delete", event, pk=theirs.pk)).status_code == 404
    assert Page.objects.filter(pk=theirs.pk).exists()
