"""One rule for email addresses: an address accepted when a person is created is one they can sign in with."""
import pytest

from app.accounts.emails import NotAnEmail, email_address
from app.onboarding.rows import PersonRow, check_rows
from tests.test_invitations import import_people, link_in, send_mails, set_password

ACCEPTED = ["pat.kim@district.test", "Lead+Field@Example.org", "o'brien@wps.k12.ma.us", "  ana@example.org "]
REFUSED = ["not an email", "ana@@example.org", "ana@example", "ana@district.local", "ana@.org", "a" * 250 + "@x.org"]


def test_a_person_imported_at_a_reserved_test_domain_signs_in(client, auth, world, mailbox, redis):
    people = b"email,name,role\nPat.Kim@District.TEST,Pat Kim,District viewer\n"
    assert import_people(world, people)["people_invited"] == 1
    send_mails(redis)
    assert set_password(client, link_in(mailbox, "pat.kim@district.test")).status_code == 302
    auth.sign_out()
    response = client.post("/sign-in", data={"email": "Pat.Kim@District.TEST", "password": "a brand new passphrase"})
    assert response.status_code == 302 and client.get("/").status_code == 200


@pytest.mark.parametrize("typed", ACCEPTED)
def test_an_address_accepted_when_a_person_is_created_signs_in(client, auth, world, typed):
    auth.sign_in(world.admin)
    response = client.post("/admin/user/new/", data={"name": "Nia New", "email": typed, "active": "y",
                                                     "new_password": "a brand new passphrase"})
    assert response.status_code == 302
    auth.sign_out()
    response = client.post("/sign-in", data={"email": typed, "password": "a brand new passphrase"})
    assert response.status_code == 302
    assert "Nia New" in client.get("/").text


def refused_by_import(typed: str) -> str | None:
    _, errors = check_rows([{"email": typed, "name": "Nia New", "role": "district_viewer"}], PersonRow(),
                           "people.csv", "email")
    return errors[0].message if errors else None


def refused_by_page(client, path: str, data: dict) -> bool:
    response = client.post(path, data=data)
    return "Not a valid email address." in response.text or "Use at most 254 characters." in response.text


@pytest.mark.parametrize("typed", ACCEPTED + REFUSED)
def test_every_door_gives_the_same_answer(client, auth, world, typed):
    try:
        email_address(typed)
        expected = False
    except NotAnEmail:
        expected = True
    assert (refused_by_import(typed) is not None) == expected
    assert refused_by_page(client, "/sign-in", {"email": typed, "password": "whatever it is"}) == expected
    assert refused_by_page(client, "/forgot-password", {"email": typed}) == expected
    auth.sign_in(world.admin)
    assert refused_by_page(client, "/admin/user/new/", {"name": "Nia New", "email": typed, "active": "y"}) == expected


@pytest.mark.parametrize("typed", REFUSED)
def test_refused_addresses_say_what_is_wrong(typed):
    with pytest.raises(NotAnEmail) as refused:
        email_address(typed)
    assert str(refused.value).startswith(("Not a valid email address. ", "Use at most 254 characters."))


def test_an_address_is_stored_trimmed_and_lower_case():
    assert email_address("  Lead+Field@Example.ORG ") == "lead+field@example.org"
