"""Sponsors, exhibitors, media and partners of an event: the pipeline, one organisation at the event
(details, people, level and benefits, checklist, log, stage), organisations and their people, the
levels, and "due this week". For team members with `can_manage_sponsors` and the organiser's
administrators (sponsors.rules).

Everything is loaded through `request.event`: an organisation through its sponsorship at the event,
so another event's or organiser's ids answer 404.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.bidi import isolated
from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.sponsors import (
    AddSponsorshipForm,
    ContactForm,
    DeliverableForm,
    InteractionForm,
    LevelForm,
    NextStepForm,
    OrganisationForm,
    PipelineFilterForm,
    SetLevelForm,
    SponsorshipForm,
    StageForm,
)
from podium.orga.views.objects import Kind, views
from podium.sponsors import queries, rules, services
from podium.sponsors.models import Sponsorship

# The same flags as sponsors.rules.can_manage_sponsors.
can_manage_sponsors = event_permission(*rules.MANAGE_FLAGS)


def _sponsorship(request, pk) -> Sponsorship:
    try:
        return queries.sponsorship_detail(request.event, pk)
    except Sponsorship.DoesNotExist:
        raise Http404("No such organisation at this event.") from None


def _to_detail(request, sponsorship):
    return redirect("orga:sponsorship", event=request.event.slug, sponsorship=sponsorship.pk)


# --- The pipeline ----------------------------------------------------------------------------------


@can_manage_sponsors
def pipeline(request, event):
    """The event's organisations by stage, filtered by stage, kind or level; the totals per level; and
    adding one of the organiser's organisations to the event (POST)."""
    event = request.event
    team = queries.sponsor_team(event)
    add_form = AddSponsorshipForm(request.POST or None, event=event, team=team)
    if request.method == "POST":
        add_form, saved = save_form(
            add_form,
            lambda form: services.add_sponsorship(
                event=event,
                organisation=form.cleaned_data["organisation"],
                level=form.cleaned_data["level"],
                owner=form.cleaned_data["owner"],
                by=request.user,
            ),
        )
        if saved:
            messages.success(
                request, _("“%(name)s” is in the pipeline now.") % {"name": saved.organisation.name}
            )
            return _to_detail(request, saved)
    filters = PipelineFilterForm(request.GET or None, event=event)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    level = chosen.get("level")
    board = queries.pipeline(
        event,
        stage=chosen.get("stage", ""),
        kind=chosen.get("kind", ""),
        level_id=level.pk if level else None,
    )
    return render(
        request,
        "orga/sponsors/pipeline.html",
        {"event": event, "board": board, "filters": filters, "add_form": add_form},
    )


# --- One organisation at the event -----------------------------------------------------------------


def _forms(request, sponsorship, team, bound=None):
    """Every form of the page, unbound, except `bound` (name, form) which shows its input and errors."""
    event = request.event
    forms = {
        "sponsorship_form": SponsorshipForm(event=event, team=team, sponsorship=sponsorship),
        "level_form": SetLevelForm(event=event, sponsorship=sponsorship),
        "log_form": InteractionForm(event=event, team=team, organisation=sponsorship.organisation),
    }
    if bound is not None and bound[0] in forms:
        forms[bound[0]] = bound[1]
    return forms


def _save_action(request, sponsorship, team, action):
    """(name of the form, the form, what was saved or None, the message when saved)."""
    event, by, post = request.event, request.user, request.POST
    if action == "stage":
        form, saved = save_form(
            StageForm(post),
            lambda form: services.move_stage(
                sponsorship=sponsorship,
                stage=form.cleaned_data["stage"],
                by=by,
                version=form.cleaned_data["version"],
            ),
        )
        return (
            "stage_form",
            form,
            saved,
            saved and _("Moved to %(stage)s.") % {"stage": saved.get_stage_display().lower()},
        )
    if action == "level":
        form, saved = save_form(
            SetLevelForm(post, event=event, sponsorship=sponsorship),
            lambda form: services.set_level(
                sponsorship=sponsorship,
                level=form.cleaned_data["level"],
                by=by,
                version=form.cleaned_data["version"],
            ),
        )
        return "level_form", form, saved, _("The level was saved; its checklist is below.")
    if action == "sponsorship":
        form, saved = save_form(
            SponsorshipForm(post, event=event, team=team, sponsorship=sponsorship),
            lambda form: services.save_sponsorship(
                sponsorship=sponsorship, by=by, data=form.service_data(), version=form.cleaned_data["version"]
            ),
        )
        return "sponsorship_form", form, saved, _("Saved.")
    if action in ("tick", "untick", "due"):
        items = {item.pk: item for item in sponsorship.deliverables.all()}

        def save(form):
            item = items.get(form.cleaned_data["item"])
            if item is None:
                raise ServiceError(_("This checklist item is gone; reload the page."))
            item.sponsorship = sponsorship
            version = form.cleaned_data["version"]
            if action == "due":
                return services.set_deliverable_due(
                    deliverable=item, due=form.cleaned_data["due"], by=by, version=version
                )
            return services.tick_deliverable(deliverable=item, done=action == "tick", by=by, version=version)

        form, saved = save_form(DeliverableForm(post), save)
        done = {
            "tick": _("Ticked: %(item)s."),
            "untick": _("Unticked: %(item)s."),
            "due": _("Due date saved: %(item)s."),
        }[action]
        return "deliverable_form", form, saved, saved and done % {"item": saved.name}
    if action == "log":
        form, saved = save_form(
            InteractionForm(post, event=event, team=team, organisation=sponsorship.organisation),
            lambda form: services.log_interaction(sponsorship=sponsorship, by=by, data=form.service_data()),
        )
        return "log_form", form, saved, _("Logged.")
    if action in ("done", "reassign"):

        def save(form):
            entry = (
                sponsorship.interactions.filter(pk=form.cleaned_data["entry"])
                .select_related("sponsorship")
                .first()
            )
            if entry is None:
                raise ServiceError(_("This entry is gone; reload the page."))
            version = form.cleaned_data["version"]
            if action == "done":
                return services.complete_next_step(interaction=entry, by=by, version=version)
            return services.reassign_next_step(
                interaction=entry, assigned_to=form.cleaned_data["assigned_to"], by=by, version=version
            )

        form, saved = save_form(NextStepForm(post, team=team), save)
        return "step_form", form, saved, _("Next step done.") if action == "done" else _("Next step given.")
    raise Http404("Unknown action.")


@can_manage_sponsors
def sponsorship(request, event, sponsorship):
    """One organisation at the event: details, people, level and benefits, checklist (overdue items
    marked), the log with mail sent to its people, and the stage buttons. A POST names its `action`
    (stage, level, sponsorship, tick, untick, due, log, done, reassign) and calls one service."""
    found = _sponsorship(request, sponsorship)
    team = queries.sponsor_team(request.event)
    bound = None
    if request.method == "POST":
        name, form, saved, message = _save_action(request, found, team, request.POST.get("action", ""))
        if saved:
            messages.success(request, message)
            return _to_detail(request, found)
        messages.error(request, "; ".join(str(error) for errors in form.errors.values() for error in errors))
        bound = (name, form)
        found = _sponsorship(request, found.pk)
    contacts = list(found.organisation.contacts.all())
    today = queries.today_at(request.event)
    deliverables = list(found.deliverables.all())
    for item in deliverables:
        item.overdue = item.is_overdue(today)
    return render(
        request,
        "orga/sponsors/sponsorship.html",
        {
            "event": request.event,
            "sponsorship": found,
            "organisation": found.organisation,
            "contacts": contacts,
            "deliverables": deliverables,
            "log": queries.organisation_log(found, contacts),
            "stage_moves": rules.moves_from(found.stage),
            "team": team,
            "today": today,
            **_forms(request, found, team, bound),
        },
    )


# --- Organisations and their people ----------------------------------------------------------------


@can_manage_sponsors
def organisation_new(request, event):
    """A new organisation of the organiser, added to this event's pipeline as a prospect."""
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        form, saved = save_form(
            form,
            lambda form: services.save_organisation(
                event=request.event, by=request.user, data=form.service_data(), logo=form.cleaned_data["logo"]
            ),
        )
        if saved:
            messages.success(
                request, _("“%(name)s” was added as a prospect.") % {"name": isolated(saved.name)}
            )
            return _to_detail(request, saved.sponsorships.get(event=request.event))
    return render(request, "orga/sponsors/organisation_form.html", {"event": request.event, "form": form})


@can_manage_sponsors
def organisation_edit(request, event, sponsorship):
    """Edit the organisation (any event of the organiser shows the change), its logo included."""
    found = _sponsorship(request, sponsorship)
    organisation = found.organisation
    form = OrganisationForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST":
        form, saved = save_form(
            form,
            lambda form: services.save_organisation(
                event=request.event,
                by=request.user,
                data=form.service_data(),
                organisation=organisation,
                version=form.cleaned_data["version"],
                logo=form.cleaned_data["logo"],
                remove_logo=form.cleaned_data["remove_logo"],
            ),
            reload=lambda: OrganisationForm(organisation=type(organisation).objects.get(pk=organisation.pk)),
        )
        if saved:
            messages.success(request, _("“%(name)s” was saved.") % {"name": isolated(saved.name)})
            return _to_detail(request, found)
    return render(
        request,
        "orga/sponsors/organisation_form.html",
        {"event": request.event, "form": form, "sponsorship": found, "organisation": organisation},
    )


@can_manage_sponsors
@require_POST
def organisation_delete(request, event, sponsorship):
    """Delete the organisation with its entry at this event (refused while it is at another event)."""
    found = _sponsorship(request, sponsorship)
    try:
        services.delete_organisation(event=request.event, organisation=found.organisation, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _to_detail(request, found)
    messages.success(request, _("“%(name)s” was deleted.") % {"name": isolated(found.organisation.name)})
    return redirect("orga:sponsors", event=request.event.slug)


@can_manage_sponsors
def contact(request, event, sponsorship, contact=None):
    """Add a person to the organisation, or edit one."""
    found = _sponsorship(request, sponsorship)
    person = get_object_or_404(found.organisation.contacts, pk=contact) if contact is not None else None
    form = ContactForm(request.POST or None, contact=person)
    if request.method == "POST":
        form, saved = save_form(
            form,
            lambda form: services.save_contact(
                event=request.event,
                organisation=found.organisation,
                by=request.user,
                data=form.service_data(),
                contact=person,
                version=form.cleaned_data.get("version"),
            ),
            reload=(lambda: ContactForm(contact=type(person).objects.get(pk=person.pk))) if person else None,
        )
        if saved:
            messages.success(request, _("%(name)s was saved.") % {"name": isolated(saved.name)})
            return _to_detail(request, found)
    return render(
        request,
        "orga/sponsors/contact_form.html",
        {"event": request.event, "form": form, "sponsorship": found, "contact": person},
    )


@can_manage_sponsors
@require_POST
def contact_delete(request, event, sponsorship, contact):
    found = _sponsorship(request, sponsorship)
    person = get_object_or_404(found.organisation.contacts, pk=contact)
    services.delete_contact(event=request.event, contact=person, by=request.user)
    messages.success(request, _("%(name)s was removed.") % {"name": isolated(person.name)})
    return _to_detail(request, found)


# --- Levels: the shared new/edit/delete pattern (objects.py) ----------------------------------------


@can_manage_sponsors
def levels(request, event):
    """The event's levels (packages) with their benefits, checklist and how many organisations have each."""
    rows = request.event.sponsor_levels.annotate(count=Count("sponsorships"))
    return render(request, "orga/sponsors/levels.html", {"event": request.event, "levels": rows})


LEVEL = Kind(
    key="sponsor_level",
    noun="level",
    list_name="sponsor_levels",
    form=LevelForm,
    objects=lambda event: event.sponsor_levels.all(),
    save=lambda *, event, by, form, obj, version: services.save_level(
        event=event, by=by, data=form.service_data(), level=obj, version=version
    ),
    delete=lambda obj, by: services.delete_level(level=obj, by=by),
)
level_new, level_edit, level_delete = views((LEVEL,), can_manage_sponsors)


# --- Due this week ---------------------------------------------------------------------------------


@can_manage_sponsors
def due(request, event, everyone: bool = False):
    """The open next steps due this week (or overdue) and the overdue checklist items: the user's own,
    or everyone's grouped by person."""
    listing = queries.due_this_week(request.event, None if everyone else request.user)
    return render(
        request, "orga/sponsors/due.html", {"event": request.event, "due": listing, "everyone": everyone}
    )
