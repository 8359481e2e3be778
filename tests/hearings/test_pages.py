import datetime

import pytest

from appraisal.models import EvaluationItem
from hearings import services
from hearings.models import Ballot

from ..factories import HearingFactory
from .conftest import all_answers


def vote_url(token):
    return f"/hearings/vote/{token}/"


def ballot_post(hearing, answer="satisfied"):
    return {f"item_{position}": value for position, value in all_answers(hearing, answer).items()}


def test_the_ballot_page_needs_only_a_token_and_counts_once(client, hearing, voting):
    token = voting()[0]
    page = client.get(vote_url(token))
    assert page.status_code == 200 and [item["name"] for item in page.context["items"]] == [
        f"item_{n}" for n in range(1, 9)
    ]
    thanks = client.post(vote_url(token), ballot_post(hearing) | {"comment": "服务很好"})
    assert thanks.templates[0].name == "hearings/vote_thanks.html"
    again = client.post(vote_url(token), ballot_post(hearing, "dissatisfied"))
    assert (again.templates[0].name, again.context["state"]) == ("hearings/vote_refused.html", "used")
    assert client.get(vote_url(token)).context["state"] == "used"
    assert Ballot.objects.get().comment == "服务很好"


def test_unknown_and_closed_tokens_get_a_clear_page(client, hearing, voting, office_user):
    token = voting()[0]
    assert client.get(vote_url("x" * 27)).context["state"] == "unknown"
    services.hearing_close(hearing=hearing, by=office_user)
    response = client.get(vote_url(token))
    assert (response.status_code, response.context["state"]) == (200, "closed")


def test_a_ballot_missing_an_answer_is_shown_again(client, hearing, voting):
    token = voting()[0]
    data = ballot_post(hearing)
    data.pop("item_2")
    data.pop("item_5")
    response = client.post(vote_url(token), data)
    assert response.templates[0].name == "hearings/vote.html"
    missing = {item["name"]: item["errors"] for item in response.context["items"] if item["errors"]}
    assert set(missing) == {"item_2", "item_5"}
    assert [item["given"] for item in response.context["items"]][:3] == [data["item_1"], None, data["item_3"]]
    page = response.content.decode()
    given = data["item_1"]
    assert f'name="item_1" value="{given}" id="item_1_{given}" checked' in page
    assert not Ballot.objects.exists()


def test_an_overlong_comment_is_refused_and_kept(client, hearing, voting):
    token = voting()[0]
    data = ballot_post(hearing) | {"comment": "好" * (services.COMMENT_MAX_LENGTH + 1)}
    response = client.post(vote_url(token), data)
    limit = {"limit": services.COMMENT_MAX_LENGTH, "length": services.COMMENT_MAX_LENGTH + 1}
    assert response.context["comment_errors"] == [str(services.COMMENT_TOO_LONG % limit)]
    assert response.context["comment"] == data["comment"] and not Ballot.objects.exists()
    assert client.post(vote_url(token), data | {"comment": "  很好 "}).templates[0].name == "hearings/vote_thanks.html"
    assert Ballot.objects.get().comment == "很好"


def test_opening_voting_without_quorum_shows_the_refusal(client_for, hearing, office_user):
    services.hearing_open_check_in(hearing=hearing, by=office_user)
    response = client_for(office_user).post(f"/hearings/{hearing.pk}/voting/", follow=True)
    counts = {"representatives": 0, "needed_representatives": 30, "supervisors": 0, "needed_supervisors": 4}
    assert str(services.QUORUM_MISSING % counts) in [str(m) for m in response.context["messages"]]


def test_the_turnout_fragment_refreshes_itself(client_for, hearing, voting, liaison_a):
    tokens = voting()
    services.ballot_cast(secret=tokens[0], answers=all_answers(hearing))
    client = client_for(liaison_a)
    page = client.get(f"/hearings/{hearing.pk}/turnout/").content.decode()
    assert f'hx-get="/hearings/{hearing.pk}/turnout/live/"' in page and 'hx-trigger="every 3s"' in page
    fragment = client.get(f"/hearings/{hearing.pk}/turnout/live/")
    assert fragment.context["hearing"].ballots == 1 and fragment.context["hearing"].voters == 34
    assert "<html" not in fragment.content.decode()


def test_results_after_closing_and_the_token_sheet_before(client_for, hearing, voting, office_user, leader_user):
    tokens = voting()
    client = client_for(office_user)
    sheet = client.get(f"/hearings/{hearing.pk}/tokens/").content.decode()
    assert sheet.count("<svg") == 34 and tokens[0] not in sheet  # the QR holds the link, not the page text
    assert client.get(f"/hearings/{hearing.pk}/results/").status_code == 404
    services.ballot_cast(secret=tokens[0], answers=all_answers(hearing, "fairly"))
    client.post(f"/hearings/{hearing.pk}/close/")
    assert client.get(f"/hearings/{hearing.pk}/tokens/").status_code == 404
    results = client_for(leader_user).get(f"/hearings/{hearing.pk}/results/")
    assert results.context["results"]["items"][0]["counts"]["fairly"] == 1


def test_paper_ballots_are_entered_by_the_office(client_for, hearing, voting, office_user):
    voting()
    client = client_for(office_user)
    incomplete = ballot_post(hearing, "unknown")
    incomplete.pop("item_8")
    again = client.post(f"/hearings/{hearing.pk}/paper/", incomplete)
    assert [item["name"] for item in again.context["items"] if item["errors"]] == ["item_8"]
    assert not Ballot.objects.exists()
    client.post(f"/hearings/{hearing.pk}/paper/", ballot_post(hearing, "unknown"))
    assert Ballot.objects.get().origin == "paper"


def test_the_detail_warns_after_the_deadline(client_for, year, unit_a, office_user):
    on_time = HearingFactory(unit=unit_a, year=year, held_on=datetime.date(2026, 10, 31))
    late = HearingFactory(unit=unit_a, year=year, held_on=datetime.date(2026, 11, 1))
    assert client_for(office_user).get(f"/hearings/{on_time.pk}/").context["late"] is None
    page = client_for(office_user).get(f"/hearings/{late.pk}/")
    assert page.context["late"].due_date == datetime.date(2026, 10, 31) and 'id="late"' in page.content.decode()


@pytest.mark.parametrize("url", ["/hearings/{pk}/", "/hearings/{pk}/turnout/", "/hearings/{pk}/turnout/live/"])
def test_access(client_for, hearing, url, outsider, liaison_a, liaison_b, leader_user):
    url = url.format(pk=hearing.pk)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(liaison_b).get(url).status_code == 404
    assert client_for(liaison_a).get(url).status_code == 200
    assert client_for(leader_user).get(url).status_code == 200


@pytest.mark.parametrize("url", ["/hearings/{pk}/check-in/", "/hearings/{pk}/draw/", "/hearings/{pk}/close/"])
def test_only_the_office_changes_a_hearing(client_for, hearing, url, outsider, liaison_a, leader_user):
    url = url.format(pk=hearing.pk)
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(liaison_a).post(url).status_code == 403
    assert client_for(leader_user).post(url).status_code == 403


def test_the_list_is_scoped(client_for, hearing, liaison_a, liaison_b):
    assert list(client_for(liaison_a).get("/hearings/").context["page"]) == [hearing]
    assert list(client_for(liaison_b).get("/hearings/").context["page"]) == []


def test_the_office_draws_adds_and_checks_in(client_for, hearing, office_user):
    client = client_for(office_user)
    client.post(f"/hearings/{hearing.pk}/draw/", {"count": 30, "seed": 5})
    assert hearing.attendees.count() == 30
    page = client.get(f"/hearings/{hearing.pk}/")
    assert "5" in page.content.decode() and page.context["draw_form"] is not None
    client.post(f"/hearings/{hearing.pk}/check-in/")
    attendee = hearing.attendees.first()
    client.post(f"/hearings/attendees/{attendee.pk}/check-in/", {"present": "1"})
    attendee.refresh_from_db()
    assert attendee.checked_in


def test_the_ballot_asks_the_items_frozen_when_voting_opened(client, hearing, voting):
    tokens = voting()
    first = EvaluationItem.objects.get(kind=hearing.unit.kind, position=1)
    frozen_name = first.name
    first.name = "改名后的测评项目"
    first.save()
    page = client.get(vote_url(tokens[0])).content.decode()
    assert frozen_name in page and "改名后的测评项目" not in page
    client.post(vote_url(tokens[0]), ballot_post(hearing))
    services.hearing_close(hearing=hearing, by=None)
    hearing.refresh_from_db()
    assert hearing.results["items"][0]["name"] == frozen_name


def test_a_hall_of_voters_costs_few_queries(client, hearing, voting, django_assert_num_queries):
    tokens = voting()
    client.get(vote_url(tokens[0]))  # the first voter's page fills the fragment cache
    with django_assert_num_queries(1):  # the token with its hearing; the fields come from the cache
        page = client.get(vote_url(tokens[1])).content.decode()
    hearing.refresh_from_db()
    assert page.count('type="radio"') == 4 * len(hearing.ballot_items) == 4 * 8
    data = ballot_post(hearing)
    # the token, claiming it, counting the ballot, storing it; in a transaction (a savepoint within the test's)
    with django_assert_num_queries(4 + 2):
        assert client.post(vote_url(tokens[1]), data).templates[0].name == "hearings/vote_thanks.html"
