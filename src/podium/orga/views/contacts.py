"""An organiser's contact lists: the lists with their sizes, one list's contacts (searched, a page at a
time), a CSV or vCard file imported into a list (a dry run to read first, then the import), and
contacts added, changed or taken off a list by hand. For the organiser's administrators and mail
teams (contacts.rules); the same importing code as `podium contacts import`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.errors import ServiceError, StaleEdit
from podium.base.forms import save_form
from podium.contacts import queries, services
from podium.contacts.importing import ImportRefused
from podium.orga.access import contacts_keeper
from podium.orga.forms.contacts import (
    ContactForm,
    ContactImportForm,
    ContactListForm,
    ContactSearchForm,
    ContactUploadForm,
)

CONTACTS_PER_PAGE = 100


def _private(response):
    add_never_cache_headers(response)
    return response


def _list(request, pk):
    return get_object_or_404(request.organiser.contact_lists.select_related("organiser"), pk=pk)


def _contact(contact_list, pk):
    return get_object_or_404(contact_list.contacts.all(), pk=pk)


@contacts_keeper
def contact_lists(request, organiser):
    """The organiser's lists with their sizes; POST makes a new, empty list."""
    form = ContactListForm(request.POST or None)
    if request.method == "POST":
        form, created = save_form(
            form,
            lambda form: services.create_list(
                organiser=request.organiser, by=request.user, name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            ),
        )  # fmt: skip
        if created:
            messages.success(
                request,
                _("The list “%(name)s” was made; add people or import a file.") % {"name": created.name},
            )
            return redirect("orga:contact_list", organiser=request.organiser.slug, pk=created.pk)
    context = {"organiser": request.organiser, "lists": queries.lists_for(request.organiser), "form": form}
    return _private(render(request, "orga/contacts/lists.html", context))


@contacts_keeper
def contact_list(request, organiser, pk):
    """One list's contacts by address, a page at a time, optionally those matching a search."""
    found = _list(request, pk)
    form = ContactSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(queries.contacts_on(found, query), CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organiser": request.organiser,
        "contact_list": found,
        "form": form,
        "page": page,
        "query": query,
    }
    return _private(render(request, "orga/contacts/list.html", context))


@contacts_keeper
def contact_import(request, organiser, pk):
    """GET: the upload form. POST: a dry run of the uploaded file, its report and an Import button."""
    found = _list(request, pk)
    form = ContactUploadForm(request.POST or None, request.FILES or None)
    context = {"organiser": request.organiser, "contact_list": found, "form": form}
    if request.method == "POST" and form.is_valid():
        options = form.options()
        try:
            report = services.import_contacts(
                organiser=request.organiser, list_name=found.name, data=form.cleaned_data["file"],
                by=request.user, filename=form.filename, dry_run=True, **options,
            )  # fmt: skip
        except ImportRefused as exc:
            if exc.report is None:
                form.add_error("file", exc.message)
            else:
                context["report"] = exc.report
                return _private(render(request, "orga/contacts/import.html", context, status=400))
        else:
            token = services.stage_upload(
                organiser=request.organiser, data=form.cleaned_data["file"], by=request.user
            )
            context["report"] = report
            context["apply_form"] = ContactImportForm(
                initial={"token": token, "filename": form.filename, "skip_invalid": options["skip_invalid"],
                         "delimiter": form.cleaned_data["delimiter"], "encoding": form.cleaned_data["encoding"]}
            )  # fmt: skip
            return _private(render(request, "orga/contacts/import_preview.html", context))
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "orga/contacts/import.html", context, status=status))


@require_POST
@contacts_keeper
def contact_import_apply(request, organiser, pk):
    """Import a previewed upload for real and show what it did."""
    found = _list(request, pk)
    form = ContactImportForm(request.POST)
    context = {"organiser": request.organiser, "contact_list": found, "form": ContactUploadForm()}
    if not form.is_valid():
        context["error"] = _("This upload is unknown or has expired; upload the file again.")
        return _private(render(request, "orga/contacts/import.html", context, status=400))
    try:
        report = services.import_staged_upload(
            organiser=request.organiser, token=form.cleaned_data["token"], by=request.user,
            list_name=found.name, filename=form.cleaned_data["filename"], **form.options(),
        )  # fmt: skip
    except ImportRefused as exc:
        context["report"] = exc.report
        context["error"] = None if exc.report is not None else exc.message
        return _private(render(request, "orga/contacts/import.html", context, status=400))
    context["report"] = report
    return _private(render(request, "orga/contacts/import_done.html", context))


@contacts_keeper
def contact_add(request, organiser, pk):
    """Put someone on the list by hand (an address the organiser has already is that contact)."""
    found = _list(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        form, saved = save_form(
            form,
            lambda form: services.add_contact(contact_list=found, by=request.user, data=form.cleaned_data),
        )
        if saved:
            contact, created = saved
            if created:
                done = _("%(email)s is on the list now.")
            else:
                done = _("%(email)s is on the list now (a contact already: its details were completed).")
            messages.success(request, done % {"email": contact.email})
            return redirect("orga:contact_list", organiser=request.organiser.slug, pk=found.pk)
    context = {"organiser": request.organiser, "contact_list": found, "form": form, "contact": None}
    return _private(render(request, "orga/contacts/contact.html", context))


@contacts_keeper
def contact_edit(request, organiser, pk, contact):
    """Change one contact of the list (on every list it is on)."""
    found = _list(request, pk)
    person = _contact(found, contact)

    def stored():
        current = found.contacts.filter(pk=person.pk).first()
        if current is None:
            return None
        values = {
            name: getattr(current, name) for name in ("email", "name", "organisation", "phone", "notes")
        }
        return ContactForm(initial={**values, "version": current.version})

    if request.method == "POST":
        form, saved = save_form(
            ContactForm(request.POST),
            lambda form: services.save_contact(
                contact=person, by=request.user, data=form.cleaned_data, version=form.cleaned_data["version"]
            ),
            reload=stored,
        )
        if saved:
            messages.success(request, _("%(email)s was saved.") % {"email": saved.email})
            return redirect("orga:contact_list", organiser=request.organiser.slug, pk=found.pk)
    else:
        form = stored()
    context = {"organiser": request.organiser, "contact_list": found, "form": form, "contact": person}
    return _private(render(request, "orga/contacts/contact.html", context))


@require_POST
@contacts_keeper
def contact_remove(request, organiser, pk, contact):
    """Take a contact off the list (a contact then on no list is deleted)."""
    found = _list(request, pk)
    person = _contact(found, contact)
    try:
        deleted = services.remove_contact(contact_list=found, contact=person, by=request.user)
    except (StaleEdit, ServiceError) as exc:
        messages.error(request, exc.message)
    else:
        if deleted:
            done = _("%(email)s was taken off the list. It was on no other list, so it was deleted.")
        else:
            done = _("%(email)s was taken off the list.")
        messages.success(request, done % {"email": person.email})
    return redirect("orga:contact_list", organiser=request.organiser.slug, pk=found.pk)
