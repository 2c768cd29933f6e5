"""An object's own texts in the reader's language: an event's name and CfP text, its information pages.

A translated text is its column (the main text, in whatever language the organisers write it) and one
column per other language of the interface beside it (`name_de`, `name_fr`; empty: not translated).
Reading the attribute gives the main text, except while a page or a mail is rendered for a person
(`display()`; every template rendered through `Templates`, and the mail code): then it gives the text
in the active language when there is one, and the main text otherwise.

So forms, services, copies, exports and the API read and write the main text whatever the language of
the request (an organiser editing in German changes the main text through the main field, never the
German one by accident), and only what a person reads is translated.
"""

import contextlib
import contextvars

from django.conf import settings
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.template.backends.django import DjangoTemplates
from django.utils import translation

_displaying: contextvars.ContextVar[bool] = contextvars.ContextVar("podium_displaying", default=False)


def other_languages() -> list[tuple[str, str]]:
    """(code, name) of the interface's languages besides LANGUAGE_CODE: the translation columns."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def column(name: str, language: str) -> str:
    """The column of `name`'s text in `language` ("name", "de" -> "name_de")."""
    return f"{name}_{language.replace('-', '_').lower()}"


class _Asked:
    """What LocaleMiddleware reads of a request: the language cookie and Accept-Language."""

    def __init__(self, cookie: str | None, accept_language: str | None):
        self.COOKIES = {settings.LANGUAGE_COOKIE_NAME: cookie} if cookie is not None else {}
        self.META = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}


def language_for(*, cookie: str | None, accept_language: str | None) -> str:
    """The language LocaleMiddleware speaks to a request with this language cookie (None: none) and
    Accept-Language header: Django's own decision (the cookie when it names one of LANGUAGES, else the
    first language of the header that is one or has one, else LANGUAGE_CODE), for callers that have
    the headers without a request (the release files' fast path)."""
    return translation.get_language_from_request(_Asked(cookie, accept_language))


@contextlib.contextmanager
def display():
    """Within: translated texts read in the active language (what a person reads)."""
    token = _displaying.set(True)
    try:
        yield
    finally:
        _displaying.reset(token)


class TranslatedAttribute(DeferredAttribute):
    """The main text; while displaying, the active language's text when it is given."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if not _displaying.get():
            return value
        language = translation.get_language()
        if not language or language == settings.LANGUAGE_CODE:
            return value
        translated = getattr(instance, column(self.field.attname, language), None)
        return translated if translated else value

    def __set__(self, instance, value):
        # A data descriptor, so reading goes through __get__ even once the value is in the instance.
        instance.__dict__[self.field.attname] = value


@contextlib.contextmanager
def main_texts():
    """Within: translated texts read as the main text, even while displaying."""
    token = _displaying.set(False)
    try:
        yield
    finally:
        _displaying.reset(token)


class _Translated:
    descriptor_class = TranslatedAttribute

    def pre_save(self, model_instance, add):
        with main_texts():  # what is saved is the main text, even from within a render
            return super().pre_save(model_instance, add)

    def value_from_object(self, obj):
        with main_texts():  # a form's initial value, a serialisation: the main text
            return super().value_from_object(obj)


class TranslatedCharField(_Translated, models.CharField):
    """A CharField whose text has translation columns (see the module)."""


class TranslatedTextField(_Translated, models.TextField):
    """A TextField whose text has translation columns (see the module)."""


class _Template:
    """A template of `Templates`: rendered with translated texts in the active language."""

    def __init__(self, template):
        self._template = template

    def render(self, context=None, request=None):
        with display():
            return self._template.render(context, request)

    def __getattr__(self, name):
        return getattr(self._template, name)


class Templates(DjangoTemplates):
    """Django's template backend; its templates render with `display()` on."""

    def from_string(self, template_code):
        return _Template(super().from_string(template_code))

    def get_template(self, template_name):
        return _Template(super().get_template(template_name))
