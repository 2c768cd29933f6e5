from django import template

from podium.base.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value):
    return render_markdown(value)


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)
