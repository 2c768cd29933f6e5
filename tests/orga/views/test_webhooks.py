"""Webhook pages of the back office: endpoints, secret, test ping, delivery log, permissions."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.webhooks.models import DeliveryError, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


@pytest.fixture
def endpoint(event):
    return WebhookEndpoint.objects.create(
        event=event, url="http://hooks.example/in", kinds=["release.published"]
    )


def _url(name, event, endpoint=None):
    kwargs = {"event": event.slug} | ({"pk": endpoint.pk} if endpoint else {})
    return reverse(f"orga:{name}", kwargs=kwargs)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_webhooks_register_an_endpoint_and_show_its_secret(admin_client, event, settings):
    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = True  # no DNS in tests; the address check is tested elsewhere

    response = admin_client.post(
        _url("webhook_new", event),
        {"url": "http://127.0.0.1:9/in", "kinds": ["slot.changed", "speaker.confirmed"], "is_active": "on"},
    )

    endpoint = WebhookEndpoint.objects.get(event=event)
    assert response.status_code == 302
    assert response.url == _url("webhook_edit", event, endpoint)
    assert (endpoint.kinds, endpoint.is_active) == (["slot.changed", "speaker.confirmed"], True)
    page = _text(admin_client.get(response.url))
    assert endpoint.secret in page
    assert "Send a test ping" in page
    assert "http://127.0.0.1:9/in" in _text(admin_client.get(_url("webhooks", event)))


def test_webhook_new_refuses_a_private_address_with_a_clear_error(admin_client, event, settings):
    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = False

    response = admin_client.post(
        _url("webhook_new", event), {"url": "http://127.0.0.1:8000/admin", "kinds": ["slot.changed"]}
    )

    assert response.status_code == 200
    assert "127.0.0.1 resolves to 127.0.0.1, a loopback address" in _text(response)
    assert 'value="http://127.0.0.1:8000/admin"' in _text(response)  # the input is kept
    assert not WebhookEndpoint.objects.exists()


def test_webhook_new_needs_a_kind_and_an_http_url(admin_client, event):
    response = admin_client.post(_url("webhook_new", event), {"url": "ftp://files.example/"})

    page = _text(response)
    assert "Choose at least one kind of event to send." in page
    assert not WebhookEndpoint.objects.exists()


def test_webhook_edit_saves_and_a_stale_version_shows_what_is_stored(admin_client, event, endpoint, settings):
    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = True
    form = {"url": "http://127.0.0.1:9/new", "kinds": ["slot.changed"], "version": endpoint.version}

    saved = admin_client.post(_url("webhook_edit", event, endpoint), form)
    stale = admin_client.post(
        _url("webhook_edit", event, endpoint), form | {"url": "http://127.0.0.1:9/late"}
    )

    endpoint.refresh_from_db()
    assert saved.status_code == 302
    assert (endpoint.url, endpoint.kinds, endpoint.is_active) == (
        "http://127.0.0.1:9/new",
        ["slot.changed"],
        False,
    )
    assert stale.status_code == 200
    assert "Someone else changed this webhook" in _text(stale)
    assert 'value="http://127.0.0.1:9/new"' in _text(stale)


def test_webhook_rotate_secret_shows_a_new_one(admin_client, event, endpoint):
    old = endpoint.secret

    response = admin_client.post(_url("webhook_rotate_secret", event, endpoint), follow=True)

    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in _text(response)
    assert old not in _text(response)


def test_webhook_delete_asks_first_then_deletes(admin_client, event, endpoint):
    confirm = admin_client.get(_url("webhook_delete", event, endpoint))
    assert "Delete the webhook to http://hooks.example/in?" in _text(confirm)
    assert WebhookEndpoint.objects.exists()

    response = admin_client.post(_url("webhook_delete", event, endpoint))

    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()


def test_webhook_ping_queues_a_delivery_shown_in_the_log(admin_client, event, endpoint, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False

    response = admin_client.post(_url("webhook_ping", event, endpoint), follow=True)

    row = WebhookDelivery.objects.get()
    assert (row.kind, row.endpoint, row.status) == ("ping", endpoint, DeliveryStatus.QUEUED)
    assert str(row.pk) in _text(response)
    assert "A test ping was queued" in _text(response)


def test_webhook_deliveries_show_status_code_attempts_retry_error_and_body(admin_client, event, endpoint):
    retry = timezone.now() + dt.timedelta(minutes=5)
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        kind="release.published",
        body="{}",
        created=timezone.now(),
        status=DeliveryStatus.QUEUED,
        attempts=2,
        next_attempt_at=retry,
        response_code=503,
        response_body="upstream <b>down</b>",
        last_error="The receiver answered 503.",
    )

    response = admin_client.get(_url("webhook_deliveries", event, endpoint))

    page = response.content.decode()
    assert response.status_code == 200
    for shown in (
        "release.published",
        "Queued",
        "503",
        "The receiver answered 503.",
        f"{timezone.localtime(retry, event.tz):%Y-%m-%d %H:%M}",
    ):
        assert shown in page
    assert "upstream &lt;b&gt;down&lt;/b&gt;" in page  # the receiver's answer is escaped


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_webhook_delivery_errors_are_shown_in_the_organisers_language(admin_client, event, endpoint):
    def failed(**fields):
        WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, kind="ping", body="{}", created=timezone.now(), **fields
        )

    failed(error_code=DeliveryError.STATUS, response_code=503, last_error="The receiver answered 503.")
    failed(error_code=DeliveryError.UNREACHABLE, last_error="TimeoutError: timed out")
    failed(last_error="Refused: an error stored before the codes")

    page = _text(
        admin_client.get(_url("webhook_deliveries", event, endpoint), headers={"accept-language": "de"})
    )

    assert "Der Empfänger antwortete mit dem Status 503." in page
    assert "The receiver answered 503." not in page  # the detail says nothing more
    assert "Der Empfänger war nicht erreichbar oder hat nicht rechtzeitig geantwortet." in page
    assert "TimeoutError: timed out" in page  # the technical detail, as logged
    assert "Refused: an error stored before the codes" in page


@pytest.mark.parametrize(
    ("name", "with_pk"),
    [
        ("webhooks", False),
        ("webhook_new", False),
        ("webhook_edit", True),
        ("webhook_delete", True),
        ("webhook_deliveries", True),
    ],
)
def test_webhook_pages_need_the_edit_event_permission(client, event, endpoint, reviewer, name, with_pk):
    client.force_login(reviewer)

    response = client.get(_url(name, event, endpoint if with_pk else None))

    assert response.status_code == 403


@pytest.mark.parametrize(
    "name", ["webhook_edit", "webhook_delete", "webhook_deliveries", "webhook_ping", "webhook_rotate_secret"]
)
def test_another_events_webhook_under_this_events_url_is_404(admin_client, event, name):
    theirs = WebhookEndpoint.objects.create(
        event=factories.EventFactory(), url="http://x.example/", kinds=["ping"]
    )

    post = admin_client.post(_url(name, event, theirs))
    get = admin_client.get(_url(name, event, theirs))

    assert post.status_code == 404
    assert get.status_code == (405 if name in ("webhook_ping", "webhook_rotate_secret") else 404)
    assert WebhookEndpoint.objects.filter(pk=theirs.pk, secret=theirs.secret).exists()


def test_event_menu_links_to_webhooks_for_organisers_only(admin_client, client, event, reviewer):
    dashboard = reverse("orga:event", kwargs={"event": event.slug})
    assert _url("webhooks", event) in admin_client.get(dashboard).content.decode()

    client.force_login(reviewer)
    assert _url("webhooks", event) not in client.get(dashboard).content.decode()


# --- Query counts --------------------------------------------------------------------------------------


def _deliver(endpoint, status, **fields):
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=endpoint.event,
        kind="slot.changed",
        body="{}",
        created=timezone.now(),
        status=status,
        **fields,
    )


def _add_endpoints(event, count):
    """`count` more endpoints, each with a failed, a queued and a delivered delivery."""
    for _ in range(count):
        endpoint = WebhookEndpoint.objects.create(
            event=event,
            url=f"http://hooks.example/{WebhookEndpoint.objects.count()}",
            kinds=["slot.changed", "release.published"],
        )
        _deliver(endpoint, DeliveryStatus.FAILED, attempts=5, last_error="The receiver answered 500.")
        _deliver(endpoint, DeliveryStatus.QUEUED, next_attempt_at=timezone.now())
        _deliver(endpoint, DeliveryStatus.DELIVERED, attempts=1, response_code=200)


def _add_deliveries(endpoint, count):
    """`count` more deliveries of `endpoint`, of every status in turn."""
    statuses = list(DeliveryStatus)
    for index in range(count):
        _deliver(
            endpoint,
            statuses[index % len(statuses)],
            attempts=index % 4,
            next_attempt_at=timezone.now() + dt.timedelta(minutes=index),
            response_code=500,
            response_body="<p>busy</p>",
            last_error="The receiver answered 500.",
        )


def test_webhooks_list_query_count_does_not_grow(admin_client, event, django_assert_max_num_queries):
    url = _url("webhooks", event)

    assert_constant_queries(admin_client, url, lambda n: _add_endpoints(event, n), small=3, large=30)

    with django_assert_max_num_queries(6):
        response = admin_client.get(url)
    assert [(e.failed, e.waiting) for e in response.context["endpoints"]] == [(1, 1)] * 30


def test_webhook_deliveries_query_count_does_not_grow(
    admin_client, event, endpoint, django_assert_max_num_queries
):
    url = _url("webhook_deliveries", event, endpoint)

    assert_constant_queries(admin_client, url, lambda n: _add_deliveries(endpoint, n), small=3, large=30)

    with django_assert_max_num_queries(7):
        response = admin_client.get(url)
    assert len(response.context["deliveries"]) == 30
