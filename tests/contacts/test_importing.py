"""Reading CSV and vCard files of contacts, and applying them to an organiser's contacts and a list."""

import pytest
from django.utils import translation

from podium.contacts.importing import ImportRefused, apply, read
from podium.contacts.models import Contact, ContactList, Membership
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)


def _read(text: str, **options):
    return read(text.encode("utf-8"), **options)


def _rows(text: str, **options) -> list[tuple]:
    return [
        (row.line, row.email, row.name, row.organisation, row.phone, row.notes)
        for row in _read(text, **options).rows
    ]


# --- CSV: columns -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "email,name,organisation,phone,notes",
        "E-Mail,Full Name,Organization,Telephone,Note",
        "Email Address,NAME,Company,Mobile,Notes",
        "mail,full_name,org,tel,notes",
    ],
)
def test_the_common_header_names_are_read_in_any_case(header):
    rows = _rows(f"{header}\nAda@Example.org,Ada Lovelace,Analytical Engines,+44 20 7946 0000,Met at PyCon\n")

    assert rows == [
        (2, "ada@example.org", "Ada Lovelace", "Analytical Engines", "+44 20 7946 0000", "Met at PyCon")
    ]


def test_first_and_last_name_are_joined_and_unknown_columns_are_listed():
    read_file = _read(
        "First name,Last name,Email,Birthday,Twitter\nGrace,Hopper,grace@example.org,1906-12-09,@grace\n"
    )

    assert [(row.name, row.email) for row in read_file.rows] == [("Grace Hopper", "grace@example.org")]
    assert read_file.ignored == ["Birthday", "Twitter"]
    assert read_file.columns == {"first name": ["First name"], "last name": ["Last name"], "email": ["Email"]}


def test_a_file_without_an_email_column_is_refused_naming_its_header_and_the_names_read():
    with pytest.raises(ImportRefused) as refused:
        _read("Name;Phone\nAda;123\n")

    assert "'Name;Phone'" in refused.value.message
    assert "email, e-mail, mail, email address, e-mail address" in refused.value.message


def test_two_email_columns_are_refused():
    with pytest.raises(ImportRefused, match="'Email' and 'E-mail' both hold e-mail addresses"):
        _read("Email,E-mail\na@example.org,b@example.org\n")


# --- CSV: the text ---------------------------------------------------------------------------------------


def test_a_byte_order_mark_is_dropped():
    read_file = read("\ufeffEmail,Name\r\nada@example.org,Ada\r\n".encode())

    assert read_file.columns == {"email": ["Email"], "name": ["Name"]}
    assert [row.email for row in read_file.rows] == ["ada@example.org"]


def test_semicolons_are_sniffed_and_a_delimiter_can_be_given():
    text = "email;name;organisation\nada@example.org;Ada;Lovelace, Byron & Co\n"

    assert _rows(text)[0][3] == "Lovelace, Byron & Co"
    assert _read(text).delimiter == ";"
    assert _read("email|name\nada@example.org|Ada\n", delimiter="|").rows[0].name == "Ada"
    assert _read("email\tname\nada@example.org\tAda\n", delimiter="tab").rows[0].name == "Ada"


def test_quotes_commas_newlines_and_accents_survive():
    text = (
        "email,name,organisation,notes\n"
        '"zoe@example.org","Zoë ""Zed"" Ångström","Société Générale, Paris","first line\nsecond line"\n'
        "li@example.org,李小龍,,\n"
    )

    rows = _rows(text)

    assert rows == [
        (
            2,
            "zoe@example.org",
            'Zoë "Zed" Ångström',
            "Société Générale, Paris",
            "",
            "first line\nsecond line",
        ),
        (4, "li@example.org", "李小龍", "", "", ""),
    ]


def test_another_encoding_can_be_given_and_a_wrong_one_is_named():
    data = "email,name\nrene@example.org,René\n".encode("cp1252")

    with pytest.raises(ImportRefused, match="Line 2 is not UTF-8 text"):
        read(data)
    assert read(data, encoding="cp1252").rows[0].name == "René"
    with pytest.raises(ImportRefused, match="Unknown encoding 'klingon'"):
        read(data, encoding="klingon")


def test_a_value_with_an_unquoted_delimiter_is_a_bad_line():
    read_file = _read("email,name\nada@example.org,Lovelace, Ada\nbob@example.org,Bob,\n")

    assert [str(skip) for skip in read_file.invalid] == [
        "line 2: 3 values where the header has 2 columns (a value with a ',' in it needs quotes)"
    ]
    assert [row.email for row in read_file.rows] == ["bob@example.org"]  # an empty extra cell is harmless


def test_a_broken_quote_is_a_bad_line_and_reading_goes_on():
    read_file = _read('email,name\nada@example.org,"Ada "the" Countess"\nbob@example.org,Bob\n')

    assert [skip.line for skip in read_file.invalid] == [2]
    assert [row.email for row in read_file.rows] == ["bob@example.org"]


def test_an_apostrophe_before_a_formula_is_taken_off():
    rows = _rows("email,phone,name\nada@example.org,'+44 20 7946 0000,'Ada\n")

    assert (rows[0][4], rows[0][2]) == ("+44 20 7946 0000", "'Ada")


# --- Addresses ----------------------------------------------------------------------------------------


def test_bad_addresses_are_listed_with_their_lines():
    read_file = _read("email,name\nada@example.org,Ada\n\nbob@,Bob\n,Nobody\nmailto:Cy@Example.org,Cy\n")

    assert [str(skip) for skip in read_file.invalid] == [
        "line 4: 'bob@' is not an e-mail address",
        "line 5: no e-mail address",
    ]
    assert [row.email for row in read_file.rows] == ["ada@example.org", "cy@example.org"]


def test_too_long_values_are_bad_lines():
    read_file = _read(f"email,phone\nada@example.org,{'1' * 51}\n")

    assert [str(skip) for skip in read_file.invalid] == [
        "line 2: the phone number is longer than 50 characters"
    ]


def test_duplicates_within_the_file_are_skipped_naming_the_first_line():
    read_file = _read("email,name\nada@example.org,Ada\nbob@example.org,Bob\nADA@example.org,Ada again\n")

    assert [row.name for row in read_file.rows] == ["Ada", "Bob"]
    assert [(str(skip), skip.invalid) for skip in read_file.skips] == [
        ("line 4: skipped, same address as line 2", False)
    ]


# --- vCard ----------------------------------------------------------------------------------------------

VCARDS = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Lovelace;Ada;;;\r\n"
    "FN:Ada Lovelace\r\n"
    "ORG:Analytical Engines\\, Ltd;Research\r\n"
    "EMAIL;TYPE=INTERNET:ada@home.example\r\n"
    "EMAIL;TYPE=INTERNET,pref:Ada@Work.example\r\n"
    "TEL;TYPE=CELL:+44 20 7946 0000\r\n"
    "NOTE:Met at PyCon\\nlikes engines\\; and \r\n"
    " poetry, folded over two lines\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "N:Hopper;Grace;Brewster;;\r\n"
    "EMAIL;PREF=2:grace@second.example\r\n"
    "EMAIL;PREF=1:grace@first.example\r\n"
    "TEL;VALUE=uri:tel:+1-555-0100\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:No Address\r\n"
    "END:VCARD\r\n"
)


def test_vcards_are_read_with_folded_lines_preferred_values_and_escapes():
    read_file = _read(VCARDS, filename="people.vcf")

    assert read_file.format == "vCard"
    assert _rows(VCARDS) == [
        (
            1,
            "ada@work.example",
            "Ada Lovelace",
            "Analytical Engines, Ltd, Research",
            "+44 20 7946 0000",
            "Met at PyCon\nlikes engines; and poetry, folded over two lines",
        ),
        (12, "grace@first.example", "Grace Brewster Hopper", "", "+1-555-0100", ""),
    ]


def test_a_card_without_email_is_a_bad_line_named_by_its_begin():
    assert [str(skip) for skip in _read(VCARDS).invalid] == ["line 19: the card has no EMAIL"]


def test_an_unclosed_card_and_a_file_without_cards():
    read_file = _read("BEGIN:VCARD\nEMAIL:a@example.org\nBEGIN:VCARD\nEMAIL:b@example.org\n")

    assert [str(skip) for skip in read_file.invalid] == [
        "line 1: the card has no END:VCARD",
        "line 3: the card has no END:VCARD",
    ]
    with pytest.raises(ImportRefused, match="no vCard"):
        _read("nothing here", filename="people.vcf")


def test_duplicate_cards_are_skipped():
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nEMAIL:ada@example.org\nEND:VCARD\n"

    read_file = _read(card * 2)

    assert [str(skip) for skip in read_file.skips] == ["line 6: skipped, same address as line 1"]


# --- Applying -------------------------------------------------------------------------------------------


@pytest.fixture
def organiser(db):
    return factories.OrganiserFactory()


def _apply(organiser, text, **options):
    return apply(organiser=organiser, list_name="Press", read=_read(text), label="people.csv", **options)


def test_new_addresses_become_contacts_on_a_new_list(organiser):
    report = _apply(organiser, "email,name\nAda@Example.org,Ada\nbob@example.org,Bob\n")

    assert (report.created, report.updated, report.unchanged, report.list_created) == (2, 0, 0, True)
    contact_list = ContactList.objects.get(organiser=organiser, name="Press")
    assert sorted(contact_list.contacts.values_list("email", flat=True)) == [
        "ada@example.org",
        "bob@example.org",
    ]
    assert "Created 2, updated 0, unchanged 0, skipped 0." in report.text


def test_existing_contacts_are_updated_only_by_values_that_differ(organiser):
    Contact.objects.create(organiser=organiser, email="ada@example.org", name="Ada", phone="123")
    Contact.objects.create(organiser=organiser, email="bob@example.org", name="Bob", phone="456")

    report = _apply(
        organiser,
        "email,name,phone\nada@example.org,Ada Lovelace,\nbob@example.org,,456\ncy@example.org,Cy,\n",
    )

    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    ada = Contact.objects.get(email="ada@example.org")
    assert (ada.name, ada.phone, ada.version) == ("Ada Lovelace", "123", 2)  # an empty cell changes nothing
    assert Contact.objects.get(email="bob@example.org").version == 1
    assert Membership.objects.filter(contact_list__name="Press").count() == 3


def test_contacts_on_the_list_already_are_counted_not_added_twice(organiser):
    _apply(organiser, "email\nada@example.org\n")

    report = _apply(organiser, "email\nada@example.org\nbob@example.org\n")

    assert (report.added_to_list, report.already_on_list, report.list_created) == (1, 1, False)
    assert Membership.objects.count() == 2


def test_bad_lines_refuse_the_whole_file_unless_skipped(organiser):
    text = "email,name\nada@example.org,Ada\nbob@,Bob\n"

    with pytest.raises(ImportRefused) as refused:
        _apply(organiser, text)

    assert refused.value.report.refused
    assert "line 3: 'bob@' is not an e-mail address" in refused.value.message
    assert (Contact.objects.count(), ContactList.objects.count()) == (0, 0)
    report = _apply(organiser, text, skip_invalid=True)
    assert (report.created, [str(skip) for skip in report.skipped]) == (
        1,
        ["line 3: 'bob@' is not an e-mail address"],
    )


def test_a_dry_run_counts_the_same_and_writes_nothing(organiser):
    Contact.objects.create(organiser=organiser, email="ada@example.org", name="Ada")
    text = "email,name\nada@example.org,Ada L.\nbob@example.org,Bob\nbob@example.org,Bob\n"

    dry = _apply(organiser, text, dry_run=True)

    assert (dry.created, dry.updated, dry.unchanged, len(dry.skipped), dry.added_to_list) == (1, 1, 0, 1, 2)
    assert "Dry run: nothing was saved." in dry.text
    assert Contact.objects.get(email="ada@example.org").name == "Ada"
    assert (Contact.objects.count(), ContactList.objects.count(), Membership.objects.count()) == (1, 0, 0)
    real = _apply(organiser, text)
    assert (real.created, real.updated, real.unchanged, len(real.skipped), real.added_to_list) == (
        1,
        1,
        0,
        1,
        2,
    )


def test_another_organisers_contacts_are_not_touched(organiser):
    other = factories.OrganiserFactory()
    Contact.objects.create(organiser=other, email="ada@example.org", name="Other Ada")

    report = _apply(organiser, "email,name\nada@example.org,Ada\n")

    assert report.created == 1
    assert Contact.objects.get(organiser=other).name == "Other Ada"


def test_contacts_are_written_in_batches(organiser, django_assert_max_num_queries, monkeypatch):
    from podium.contacts import importing

    monkeypatch.setattr(importing, "BATCH", 10)
    text = "email\n" + "".join(f"p{n}@example.org\n" for n in range(45))

    # Addresses looked up, the list looked up and made, 5 batches of contacts, their ids, 5 of memberships.
    with django_assert_max_num_queries(4 + 5 + 5):
        report = _apply(organiser, text)

    assert report.created == 45


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_report_and_its_lines_are_in_the_readers_language(organiser):
    text = "E-Mail;Name;Twitter\nada@example.org;Ada;@ada\nbob@;Bob;\nADA@example.org;Ada;\n"

    with translation.override("de"):
        report = apply(
            organiser=organiser,
            list_name="Presse",
            read=_read(text),
            label="",
            skip_invalid=True,
            dry_run=True,
        )
        lines = report.text.splitlines()

    assert lines == [
        "Gelesen: die Datei als CSV, Trennzeichen ';': 3 Kontakte.",
        "Spalten: E-Mail aus 'E-Mail', Name aus 'Name'.",
        "Ignorierte Spalten: 'Twitter'.",
        "Liste 'Presse' (neu).",
        "Würde 1 anlegen, 0 aktualisieren, 0 unverändert lassen, 2 überspringen.",
        "Würde 1 zur Liste hinzufügen (0 stehen schon darauf).",
        "Übersprungen:",
        "  Zeile 3: 'bob@' ist keine E-Mail-Adresse",
        "  Zeile 4: übersprungen, dieselbe Adresse wie Zeile 2",
        "Probelauf: Es wurde nichts gespeichert.",
    ]
