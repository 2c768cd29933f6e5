import pytest
from django import forms

from podium.base.errors import ServiceError, StaleEdit
from podium.base.forms import ConflictMixin, save_form
from tests import factories


class NameForm(ConflictMixin, forms.Form):
    name = forms.CharField(max_length=20)
    start = forms.CharField(required=False)


def _refuse(exc):
    def save(form):
        raise exc

    return save


def test_save_form_returns_what_the_service_saved_and_the_same_form():
    form = NameForm({"name": "Hall A"})

    shown, saved = save_form(form, lambda form: form.cleaned_data["name"].upper())

    assert (shown, saved) == (form, "HALL A")


def test_save_form_does_not_call_the_service_for_an_invalid_form():
    calls = []
    form = NameForm({"name": ""})

    shown, saved = save_form(form, calls.append)

    assert (shown, saved, calls) == (form, None, [])
    assert list(shown.errors) == ["name"]


def test_save_form_shows_a_refusal_on_the_field_it_names_renamed_through_fields():
    form = NameForm({"name": "Hall A"})

    shown, saved = save_form(
        form, _refuse(ServiceError("Too early.", field="time")), fields={"time": "start"}
    )

    assert (shown, saved) == (form, None)
    assert shown.errors == {"start": ["Too early."]}


def test_save_form_refuses_a_stale_edit_like_any_error_without_reload():
    form = NameForm({"name": "Hall A"})

    shown, saved = save_form(form, _refuse(StaleEdit("Someone else saved it.")))

    assert (shown, saved) == (form, None)
    assert shown.non_field_errors() == ["Someone else saved it."]
    assert shown.data == {"name": "Hall A"}


def test_save_form_shows_the_stored_values_with_the_conflict_above_them():
    form = NameForm({"name": "Hall A"})

    shown, saved = save_form(
        form,
        _refuse(StaleEdit("Someone else saved it.")),
        reload=lambda: NameForm(initial={"name": "Hall B"}),
    )

    assert saved is None
    assert shown is not form
    assert not shown.is_bound
    assert shown.initial == {"name": "Hall B"}
    assert shown.non_field_errors() == ["Someone else saved it."]


def test_save_form_passes_the_stale_edit_on_when_the_object_is_gone():
    with pytest.raises(StaleEdit, match="deleted"):
        save_form(NameForm({"name": "Hall A"}), _refuse(StaleEdit("It was deleted.")), reload=lambda: None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "save"),
    [
        ({"name": ""}, lambda form: "never called"),
        ({"name": "Hall A"}, _refuse(ServiceError("Refused."))),
    ],
)
def test_save_form_reads_the_edited_object_again_when_nothing_was_saved(data, save):
    event = factories.EventFactory(name="Stored name")
    event.name = "Changed in memory"

    save_form(NameForm(data), save, refresh=event)

    assert event.name == "Stored name"


@pytest.mark.django_db
def test_save_form_leaves_the_edited_object_alone_after_a_save():
    event = factories.EventFactory(name="Stored name")
    event.name = "Changed in memory"

    save_form(NameForm({"name": "Hall A"}), lambda form: event, refresh=event)

    assert event.name == "Changed in memory"


@pytest.mark.django_db
def test_save_form_reloads_the_object_before_building_the_stored_form():
    event = factories.EventFactory(name="Stored name")
    event.name = "Changed in memory"

    shown, _ = save_form(
        NameForm({"name": "Hall A"}),
        _refuse(StaleEdit("Someone else saved it.")),
        reload=lambda: NameForm(initial={"name": event.name}),
        refresh=event,
    )

    assert shown.initial == {"name": "Stored name"}


def test_show_conflict_on_a_bound_form_keeps_the_input_and_its_own_errors():
    form = NameForm({"name": "", "start": "10:00"})

    form.show_conflict("Someone else saved it.")

    assert form.data == {"name": "", "start": "10:00"}
    assert form.errors == {"name": ["This field is required."], "__all__": ["Someone else saved it."]}
