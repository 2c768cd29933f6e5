"""`{% once %}`: a fragment of a page rendered once per render of the release files (site.release_files)
and its HTML given again wherever the same fragment comes back.

    {% once "card" session.pk session.is_starred session.seats show_room %} … {% endonce %}

Writing a release's files renders some two thousand pages in one go, and they repeat fragments: each
session's card is on its day's grid, in the grid page's list, on the list page and on its room's page;
every page has the same header, head, navigation and footer. When the request carries the render's
memo (`request.podium_fragments`, a dict all the requests of one render share: ProgramData.fragments),
the fragment is rendered the first time and its HTML kept under the template (and the page's), the
fragment's name, the values after it, the active language and time zone and whether autoescaping is
on. So a fragment must depend on nothing but those values and what every page of one render shares
(the event, the release and its program, an anonymous visitor). Without a memo (every request a
visitor sends) the content is rendered every time, in a context of its own as with the memo: the
same HTML either way.

The one thing of its page a kept fragment may show is the page's address (`request.get_full_path`
or `request.path`, as `{{ }}` shows it or through `|urlencode`: the star's `next` field, the log-in
link's): it is rendered with placeholders for them, which each page fills in with its own. A fragment
that asks for the address and does not show it so, once for each time it asked, is never kept but
rendered every time.
"""

import copy
import secrets
from functools import lru_cache
from urllib.parse import quote

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

register = template.Library()

#: Different in every process, so no page's data can hold them.
_MARK = secrets.token_hex(12)
FULL_PATH = f"podium:full-path:{_MARK}"
PATH = f"podium:path:{_MARK}"
#: The same through the `urlencode` filter (`quote(…, safe="/")`).
ENCODED_FULL_PATH, ENCODED_PATH = quote(FULL_PATH, safe="/"), quote(PATH, safe="/")
#: Kept for a fragment that uses the address otherwise: rendered every time.
_NOT_KEPT = object()


class _Placeholders:
    """Mixed into a copy of the request (_placeholder_request): its address is the placeholders, and
    it counts how often it was asked for it."""

    @property
    def path(self):
        self.__dict__["_podium_asked"] += 1
        return PATH

    @path.setter
    def path(self, value):
        pass  # the copy keeps the placeholder

    def get_full_path(self, force_append_slash=False):
        self.__dict__["_podium_asked"] += 1
        return FULL_PATH


@lru_cache
def _placeholder_class(cls):
    if issubclass(cls, _Placeholders):  # a fragment in a fragment
        return cls
    return type(f"Placeholder{cls.__name__}", (_Placeholders, cls), {})


def _placeholder_request(request):
    """The request as a kept fragment sees it: its address is the placeholders, all else its own
    (the same attribute values, such as the render's memos, shared)."""
    stand_in = copy.copy(request)
    stand_in.__class__ = _placeholder_class(type(request))
    stand_in.__dict__["_podium_asked"] = 0
    return stand_in


def _fill(html: str, request, autoescape: bool) -> str:
    """A kept fragment with the placeholders replaced by this page's address."""
    if _MARK not in html:
        return html
    for placeholder, value in (
        (FULL_PATH, lambda: request.get_full_path()),
        (PATH, lambda: request.path),
        (ENCODED_FULL_PATH, lambda: quote(request.get_full_path(), safe="/")),
        (ENCODED_PATH, lambda: quote(request.path, safe="/")),
    ):
        for _asked in range(html.count(placeholder)):  # as often as the fragment asked (a fragment in one)
            html = html.replace(placeholder, conditional_escape(value()) if autoescape else value(), 1)
    return mark_safe(html)


class OnceNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def _render(self, context, **push) -> str:
        with context.push(**push):
            return self.nodelist.render(context)

    def render(self, context):
        request = context.get("request")
        memo = getattr(request, "podium_fragments", None)
        if memo is None:
            return self._render(context)
        # The page's template too: a fragment of a layout holds the blocks of the page extending it.
        page = getattr(getattr(context, "template", None), "origin", None)
        origins = (getattr(self.origin, "name", None), getattr(page, "name", None))
        values = tuple(value.resolve(context) for value in self.values)
        key = (origins, self.name, values, get_language(), get_current_timezone_name(), context.autoescape)
        try:
            kept = memo.get(key)
        except TypeError:  # a value that cannot be a key
            return self._render(context)
        if kept is None:
            stand_in = _placeholder_request(request)
            kept = self._render(context, request=stand_in)
            placeholders = (FULL_PATH, PATH, ENCODED_FULL_PATH, ENCODED_PATH)
            shown = sum(kept.count(placeholder) for placeholder in placeholders)
            if shown != kept.count(_MARK) or shown != stand_in.__dict__["_podium_asked"]:
                kept = _NOT_KEPT
            memo[key] = kept
        if kept is _NOT_KEPT:
            return self._render(context)
        return _fill(kept, request, context.autoescape)


@register.tag
def once(parser, token):
    """`{% once "name" value… %}…{% endonce %}`: the content, rendered once per render of the release
    files for each combination of the values (see the module's docstring)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% once %} needs a name for the fragment.")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    return OnceNode(bits[1], values, nodelist)
