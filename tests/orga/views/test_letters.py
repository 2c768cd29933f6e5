import pytest

from podium.letters.models import LetterState
from podium.mail.models import OutboxMail
from tests import factories
from tests.visa import ask, event, issuer, letter, speaker  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _urls(event, request):
    base = f"/orga/event/{event.slug}/letters/"
    return [base, f"{base}{request.pk}/", f"{base}{request.pk}/letter.pdf"]


def test_the_issuer_lists_and_reads_the_requests(client, event, speaker, issuer):
    request = ask(event, speaker)
    client.force_login(issuer)
    listing = client.get(f"/orga/event/{event.slug}/letters/").content.decode()
    assert request.passport_name in listing
    detail = client.get(f"/orga/event/{event.slug}/letters/{request.pk}/").content.decode()
    assert "PX1234567" in detail
    assert "Polish" in detail
    assert "Visa letters" in detail  # the Organise menu


@pytest.mark.parametrize("flags", [{"can_edit_event": True, "can_check_in": True}, {"can_review": True}])
def test_a_member_without_the_flag_is_refused(client, event, speaker, issuer, flags):
    request = letter(event, speaker, issuer)
    client.force_login(factories.team_member(event, **flags))
    assert [client.get(url).status_code for url in _urls(event, request)] == [403, 403, 403]
    response = client.post(_urls(event, request)[1], {"decision": "withdraw", "version": request.version})
    assert response.status_code == 403
    assert "Visa letters" not in client.get(f"/orga/event/{event.slug}/").content.decode()


def test_another_events_team_cannot_see_them(client, event, speaker, issuer):
    request = letter(event, speaker, issuer)
    other = factories.EventFactory()
    client.force_login(factories.team_member(other, is_admin=True, can_issue_letters=True))
    assert [client.get(url).status_code for url in _urls(event, request)] == [403, 403, 403]
    base = f"/orga/event/{other.slug}/letters/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{request.pk}/").status_code == 404
    assert client.get(f"{base}{request.pk}/letter.pdf").status_code == 404


def test_an_admin_sees_them_without_the_flag(client, event, speaker):
    request = ask(event, speaker)
    client.force_login(factories.team_member(event, is_admin=True))
    assert client.get(f"/orga/event/{event.slug}/letters/{request.pk}/").status_code == 200


def test_approving_on_the_page_mails_the_requester(client, event, speaker, issuer):
    request = ask(event, speaker)
    client.force_login(issuer)
    url = f"/orga/event/{event.slug}/letters/{request.pk}/"
    response = client.post(url, {"decision": "approve", "version": request.version})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == LetterState.APPROVED
    assert OutboxMail.objects.filter(to=speaker.email, template="letter_approved").count() == 1
    pdf = client.get(f"{url}letter.pdf")
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")


def test_declining_on_the_page_needs_a_reason(client, event, speaker, issuer):
    request = ask(event, speaker)
    client.force_login(issuer)
    url = f"/orga/event/{event.slug}/letters/{request.pk}/"
    response = client.post(url, {"decision": "decline", "version": request.version, "reason": ""})
    assert response.status_code == 200
    assert "Say why the request is declined" in response.content.decode()
    request.refresh_from_db()
    assert request.state == LetterState.WAITING
    client.post(url, {"decision": "decline", "version": request.version, "reason": "No ticket any more"})
    request.refresh_from_db()
    assert (request.state, request.decline_reason) == (LetterState.DECLINED, "No ticket any more")
    assert OutboxMail.objects.filter(template="letter_declined").count() == 1


def test_a_stale_decision_on_the_page_is_refused(client, event, speaker, issuer):
    request = ask(event, speaker)
    client.force_login(issuer)
    url = f"/orga/event/{event.slug}/letters/{request.pk}/"
    client.post(url, {"decision": "decline", "version": request.version, "reason": "No"})
    response = client.post(url, {"decision": "approve", "version": request.version})
    assert response.status_code == 200
    assert "changed or decided meanwhile" in response.content.decode()
    request.refresh_from_db()
    assert request.state == LetterState.DECLINED
    assert OutboxMail.objects.filter(template="letter_approved").count() == 0


def test_the_detail_page_says_which_letters_the_pdf_cannot_print(client, event, speaker, issuer):
    """Chinese and Hebrew names print; Devanagari and Thai (no font here has their letters) cannot:
    the issuer is told before approving."""
    client.force_login(issuer)
    printable = ask(event, speaker, passport_name="王小明 Wang Xiaoming", nationality="ישראלי")
    page = client.get(f"/orga/event/{event.slug}/letters/{printable.pk}/").content.decode()
    assert 'id="unprintable-letters"' not in page

    printable.delete()
    hostile = ask(event, speaker, passport_name="प्रिया Sharma", nationality="ไทย")
    page = client.get(f"/orga/event/{event.slug}/letters/{hostile.pk}/").content.decode()
    warning = page[page.index('id="unprintable-letters"') :].split("</p>")[0]
    assert "these words as written" in warning
    assert "प्रिया, ไทย." in warning
    assert "Sharma" not in warning
