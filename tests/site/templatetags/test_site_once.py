"""`{% once %}`: a fragment rendered once per render of the release files, the same HTML as without."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.utils import translation

from podium.site.templatetags import site_once


class Counter:
    """Counts how often a template asks for it (how often the fragment was rendered)."""

    def __init__(self):
        self.asked = 0

    def __str__(self):
        self.asked += 1
        return "n"


def _render(source: str, path: str = "/conf/schedule/", memo: dict | None = None, **values) -> str:
    request = RequestFactory().get(path)
    if memo is not None:
        request.podium_fragments = memo
    return Template("{% load i18n site_once %}" + source).render(Context({"request": request, **values}))


CARD = '{% once "card" code %}<p>{{ code }} {{ counter }}</p>{% endonce %}'


@pytest.mark.parametrize("memo", [None, {}])
def test_the_content_as_it_renders_without_the_tag(memo):
    counter = Counter()
    assert _render(CARD, memo=memo, code="A&B", counter=counter) == "<p>A&amp;B n</p>"
    # What the fragment sets stays in it, with or without a memo.
    assert (
        _render(
            '{% once "x" %}{% with y=1 %}{% endwith %}{% firstof 2 as z %}{% endonce %}[{{ z }}]', memo=memo
        )
        == "[]"
    )


def test_without_a_memo_rendered_every_time():
    counter = Counter()
    for _ in range(3):
        _render(CARD, code="A", counter=counter)
    assert counter.asked == 3


def test_with_a_memo_rendered_once_for_each_value():
    counter, memo = Counter(), {}
    pages = [_render(CARD, memo=memo, code=code, counter=counter) for code in ("A", "B", "A", "B", "A")]
    assert pages == ["<p>A n</p>", "<p>B n</p>", "<p>A n</p>", "<p>B n</p>", "<p>A n</p>"]
    assert counter.asked == 2


def test_kept_per_language_and_time_zone():
    memo = {}
    source = (
        '{% load tz %}{% once "words" %}{% get_current_language as language %}'
        "{% get_current_timezone as zone %}{{ language }} {{ zone }}{% endonce %}"
    )
    with translation.override("en"):
        assert _render(source, memo=memo) == "en UTC"
    with translation.override("de"):
        assert _render(source, memo=memo) == "de UTC"
        zoned = "{% load tz %}{% timezone 'Europe/Brussels' %}" + source + "{% endtimezone %}"
        assert _render(zoned, memo=memo) == "de Europe/Brussels"


def test_each_page_gets_its_own_address():
    """The star's `next` field: the fragment is kept once, the address is each page's (escaped)."""
    counter, memo = Counter(), {}
    source = '{% once "star" %}<input value="{{ request.get_full_path }}"> {{ request.path }} {{ counter }}{% endonce %}'
    first = _render(source, "/conf/schedule/?day=2025-02-01&view=list", memo=memo, counter=counter)
    second = _render(source, "/conf/schedule/?day=2025-02-02&room=x", memo=memo, counter=counter)
    assert first == '<input value="/conf/schedule/?day=2025-02-01&amp;view=list"> /conf/schedule/ n'
    assert second == '<input value="/conf/schedule/?day=2025-02-02&amp;room=x"> /conf/schedule/ n'
    assert counter.asked == 1
    assert second == _render(source, "/conf/schedule/?day=2025-02-02&room=x", counter=counter)


def test_the_address_url_encoded_too():
    """The log-in link's `next`."""
    counter, memo = Counter(), {}
    source = '{% once "login" %}<a href="/login?next={{ request.get_full_path|urlencode }}&amp;p={{ request.path|urlencode }}">{{ counter }}</a>{% endonce %}'
    first = _render(source, "/conf/talk/A/?x=1&y=2", memo=memo, counter=counter)
    second = _render(source, "/conf/talk/B/", memo=memo, counter=counter)
    assert first == '<a href="/login?next=/conf/talk/A/%3Fx%3D1%26y%3D2&amp;p=/conf/talk/A/">n</a>'
    assert second == '<a href="/login?next=/conf/talk/B/&amp;p=/conf/talk/B/">n</a>'
    assert counter.asked == 1


@pytest.mark.parametrize(
    "use",
    [
        "{{ request.get_full_path|upper }}",
        "{{ request.path|slice:':3' }}",
        "{% if request.path %}x{% endif %}",
    ],
)
def test_a_fragment_using_the_address_otherwise_is_rendered_every_time(use):
    counter, memo = Counter(), {}
    source = '{% once "other" %}' + use + "{{ counter }}{% endonce %}"
    pages = [_render(source, path, memo=memo, counter=counter) for path in ("/conf/talk/a/", "/conf/talk/b/")]
    assert pages == [_render(source, path, counter=counter) for path in ("/conf/talk/a/", "/conf/talk/b/")]
    assert counter.asked == 3 + 2  # the first page's try with placeholders, then every page's own
    assert site_once._MARK not in "".join(pages)


def test_values_that_cannot_be_a_key_render_every_time():
    counter, memo = Counter(), {}
    for _ in range(2):
        assert (
            _render('{% once "x" items %}{{ counter }}{% endonce %}', memo=memo, items=[1], counter=counter)
            == "n"
        )
    assert counter.asked == 2


def test_a_name_is_needed():
    with pytest.raises(TemplateSyntaxError):
        _render("{% once %}{% endonce %}")


def test_a_fragment_in_a_fragment():
    """The layout's header holds the program's navigation, each kept: the addresses are the page's."""
    memo = {}
    source = (
        '{% once "outer" %}[{% once "inner" %}{{ request.get_full_path }}{% endonce %}'
        "|{{ request.path|urlencode }}]{% endonce %}"
    )
    for path in ("/a/?x=1&y=2", "/b b/", "/a/?x=1&y=2"):
        assert _render(source, path, memo=memo) == _render(source, path)
    assert len(memo) == 2
    assert site_once._NOT_KEPT not in memo.values()
