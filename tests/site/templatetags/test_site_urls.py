"""`{% url %}` remembered per render of the release files: Django's answer, reversed once."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch

from podium.site.templatetags import site_urls

DJANGO = "{% url 'site:talk' event=slug code=code %}|{% url 'site:schedule' slug %}|{% url name event=slug as there %}[{{ there }}]"
OURS = "{% load site_urls %}" + DJANGO


def _render(source: str, memo: dict | None = None, **values) -> str:
    request = RequestFactory().get("/")
    if memo is not None:
        request.podium_urls = memo
    values = {"slug": "conf", "code": "ABC123", "name": "site:talks"} | values
    return Template(source).render(Context({"request": request, **values}))


@pytest.mark.parametrize("memo", [None, {}])
def test_the_same_answer_as_djangos_tag(memo):
    assert _render(OURS, memo) == _render(DJANGO) == "/conf/talk/ABC123/|/conf/schedule/|[/conf/talks/]"
    assert _render(OURS, memo, code="A&B") == _render(DJANGO, code="A&B")  # escaped alike


def test_each_address_is_reversed_once_per_memo(monkeypatch):
    asked = []
    reverse = site_urls.reverse

    def counting(*args, **kwargs):
        asked.append(args[0])
        return reverse(*args, **kwargs)

    monkeypatch.setattr(site_urls, "reverse", counting)
    memo = {}
    first = _render(OURS, memo)
    assert _render(OURS, memo) == first
    assert sorted(asked) == ["site:schedule", "site:talk", "site:talks"]
    _render(OURS, memo, code="XYZ789")
    assert sorted(asked) == ["site:schedule", "site:talk", "site:talk", "site:talks"]
    _render(OURS, None)  # without a memo: Django's tag, which reverses every time
    assert len(asked) == 4


@pytest.mark.parametrize("memo", [None, {}])
def test_an_unknown_address_fails_as_djangos_does(memo):
    with pytest.raises(NoReverseMatch):
        _render("{% load site_urls %}{% url 'site:nothing' %}", memo)
    assert _render("{% load site_urls %}{% url 'site:nothing' as x %}[{{ x }}]", memo) == "[]"


STATIC = "{% static 'podium/site.css' %}|{% static path as there %}[{{ there }}]"


@pytest.mark.parametrize("memo", [None, {}])
def test_static_gives_djangos_answer(memo):
    ours = _render("{% load static site_urls %}" + STATIC, memo, path="podium/a&b.js")
    assert ours == _render("{% load static %}" + STATIC, path="podium/a&b.js")
    assert ours == "/static/podium/site.css|[/static/podium/a%26b.js]"


def test_each_static_file_is_asked_once_per_memo(monkeypatch):
    asked = []
    handle_simple = site_urls.MemoStaticNode.handle_simple

    def counting(path):
        asked.append(path)
        return handle_simple(path)

    monkeypatch.setattr(site_urls.MemoStaticNode, "handle_simple", staticmethod(counting))
    memo = {}
    source = "{% load site_urls %}" + STATIC
    assert _render(source, memo, path="podium/x.js") == _render(source, memo, path="podium/x.js")
    assert sorted(asked) == ["podium/site.css", "podium/x.js"]
    _render(source, None, path="podium/x.js")  # without a memo: asked every time
    assert len(asked) == 4
