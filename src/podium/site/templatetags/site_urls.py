"""`{% url %}` and `{% static %}` that remember their answers while a release's files are rendered
(site.release_files).

Loading this library in a template replaces Django's `{% url %}` and `{% static %}` there with the
same tags, giving the same answers. When the request carries a memo (`request.podium_urls`: a dict
all the requests of one render of the release files share), each address is reversed once for all
the pages instead of once per link: the two thousand pages of a FOSDEM-size release ask some 70,000 times for a few thousand
addresses (and each page asks for the same few static files). Without a memo (every request a
visitor sends) they are Django's tags unchanged.
"""

from django import template
from django.template import defaulttags
from django.templatetags.static import StaticNode
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()


def _current_app(context):
    """The namespace Django's tag reverses from (its own rule)."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


class MemoURLNode(defaulttags.URLNode):
    def render(self, context):
        memo = getattr(context.get("request"), "podium_urls", None)
        if memo is None:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((name, value.resolve(context)) for name, value in self.kwargs.items())
        current_app = _current_app(context)
        # The language too: reverse() answers in the active one (translated patterns).
        key = (view_name, args, kwargs, current_app, get_language())
        try:
            url = memo.get(key)
        except TypeError:  # an argument that cannot be a key
            return super().render(context)
        if url is None:
            try:
                url = reverse(view_name, args=list(args), kwargs=dict(kwargs), current_app=current_app)
            except NoReverseMatch:
                if self.asvar is None:
                    raise
                url = ""
            else:
                memo[key] = url
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's `{% url %}` (same arguments, same answer), remembered per render of the release files."""
    node = defaulttags.url(parser, token)
    return MemoURLNode(node.view_name, node.args, node.kwargs, node.asvar)


class MemoStaticNode(StaticNode):
    def url(self, context):
        memo = getattr(context.get("request"), "podium_urls", None)
        if memo is None:
            return super().url(context)
        path = self.path.resolve(context)
        key = ("static", path)
        try:
            url = memo.get(key)
        except TypeError:
            return super().url(context)
        if url is None:
            url = memo[key] = self.handle_simple(path)
        return url


@register.tag
def static(parser, token):
    """Django's `{% static %}` (same arguments, same answer), remembered per render of the release files."""
    return MemoStaticNode.handle_token(parser, token)
