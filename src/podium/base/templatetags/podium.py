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


@register.filter
def price(amount, currency=""):
    """An amount of money with its currency ("100.00 EUR"), or "Free" when it is nothing."""
    if amount is None:
        return ""
    if amount == 0:
        return "Free"
    return f"{amount:.2f} {currency}".strip()
