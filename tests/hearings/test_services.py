import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from appraisal.models import RateFormula
from hearings import services
from hearings.models import Ballot, BallotToken, Hearing, HearingEvent
from hearings.selectors import composite_score, satisfaction_rate

from .conftest import all_answers, fill


def refusal(service, **kwargs):
    with pytest.raises(ValidationError) as caught:
        service(**kwargs)
    return caught.value


def test_voting_is_refused_without_quorum_and_says_what_is_missing(hearing, office_user):
    fill(hearing, representatives=29, supervisors=3)
    error = refusal(services.hearing_open_voting, hearing=hearing, by=office_user)
    counts = {"representatives": 29, "needed_representatives": 30, "supervisors": 3, "needed_supervisors": 4}
    assert error.messages == [str(services.QUORUM_MISSING % counts)]
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.CHECK_IN and not BallotToken.objects.exists()


def test_quorum_numbers_come_from_the_year(hearing, office_user, year):
    year.hearing_quorum_representatives, year.hearing_quorum_supervisors = 10, 2
    year.save()
    fill(hearing, representatives=10, supervisors=2)
    assert len(services.hearing_open_voting(hearing=hearing, by=office_user)) == 12


def test_voting_opens_with_quorum_one_token_per_voter(hearing, voting, office_user):
    tokens = voting(representatives=31, supervisors=4)
    hearing.refresh_from_db()
    assert (hearing.status, hearing.voters, len(set(tokens))) == ("voting", 35, 35)
    assert all(len(token) >= 26 for token in tokens)  # 160 random bits, base64url
    stored = set(BallotToken.objects.values_list("digest", flat=True))
    assert stored == {services.digest_of(token) for token in tokens}
    statuses = list(HearingEvent.objects.values_list("status", "by"))
    assert statuses == [("check_in", None), ("voting", office_user.pk)]


def test_a_token_votes_once(hearing, voting):
    token = voting()[0]
    services.ballot_cast(secret=token, answers=all_answers(hearing), comment="很好")
    error = refusal(services.ballot_cast, secret=token, answers=all_answers(hearing))
    assert (error.code, error.messages) == ("used", [str(services.TOKEN_USED)])
    assert Ballot.objects.count() == 1
    hearing.refresh_from_db()
    assert hearing.web_ballots == 1


def test_unknown_token_and_closed_hearing_are_refused(hearing, voting, office_user):
    tokens = voting()
    assert refusal(services.ballot_cast, secret="nonsense", answers={}).code == "unknown"
    services.hearing_close(hearing=hearing, by=office_user)
    assert refusal(services.ballot_cast, secret=tokens[0], answers=all_answers(hearing)).code == "closed"
    assert not BallotToken.objects.exclude(secret="").exists()


def test_every_item_needs_an_answer(hearing, voting):
    token = voting()[0]
    answers = all_answers(hearing)
    answers.pop("3")
    error = refusal(services.ballot_cast, secret=token, answers=answers)
    assert "item_3" in error.message_dict
    assert not BallotToken.objects.filter(used=True).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; PostgreSQL only")
def test_one_token_fired_from_many_threads_stores_exactly_one_ballot(hearing, voting):
    token = voting()[0]
    answers = all_answers(hearing)
    threads_count = 12
    barrier, outcomes = threading.Barrier(threads_count), []

    def cast():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            services.ballot_cast(secret=token, answers=answers)
            outcomes.append("stored")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=cast) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stored"] + ["used"] * (threads_count - 1)
    assert Ballot.objects.count() == 1


def test_paper_and_web_never_exceed_the_voters(hearing, voting, year):
    year.hearing_quorum_representatives, year.hearing_quorum_supervisors = 2, 1
    year.save()
    tokens = voting(representatives=2, supervisors=1)
    services.ballot_cast(secret=tokens[0], answers=all_answers(hearing))
    services.paper_ballot_add(hearing=hearing, answers=all_answers(hearing))
    services.paper_ballot_add(hearing=hearing, answers=all_answers(hearing))
    assert refusal(services.paper_ballot_add, hearing=hearing, answers=all_answers(hearing)).code == "full"
    assert refusal(services.ballot_cast, secret=tokens[1], answers=all_answers(hearing)).code == "full"
    hearing.refresh_from_db()
    assert (hearing.web_ballots, hearing.paper_ballots, Ballot.objects.count()) == (1, 2, 3)
    assert not BallotToken.objects.filter(used=True).exclude(digest=services.digest_of(tokens[0])).exists()


def test_the_database_refuses_more_ballots_than_voters(hearing):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.filter(pk=hearing.pk).update(paper_ballots=1)


def test_the_ballot_table_cannot_relink_a_ballot_to_a_token(db):
    fields = {field.name: field for field in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "hearing", "origin", "answers", "comment"}
    assert fields["id"].get_internal_type() == "UUIDField" and fields["id"].default.__name__ == "uuid4"
    assert not any(field.get_internal_type() in ("DateTimeField", "DateField") for field in fields.values())
    assert [f.related_model for f in Ballot._meta.get_fields() if f.is_relation] == [Hearing]
    assert Ballot._meta.ordering == ["hearing", "id"]
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, Ballot._meta.db_table)}
    assert columns == {"id", "hearing_id", "origin", "answers", "comment"}


def test_ballot_ids_do_not_follow_token_order(hearing, voting):
    tokens = voting()
    for token in tokens[:10]:
        services.ballot_cast(secret=token, answers=all_answers(hearing))
    ids = list(Ballot.objects.values_list("id", flat=True))
    assert len(set(ids)) == 10 and all(i.version == 4 for i in ids)


def test_results_are_frozen_at_closing_with_the_year_formula(hearing, voting, office_user, year):
    tokens = voting()
    plans = ["satisfied", "satisfied", "fairly", "dissatisfied", "unknown"]
    for token, answer in zip(tokens, plans, strict=False):
        services.ballot_cast(secret=token, answers=all_answers(hearing, answer))
    services.hearing_close(hearing=hearing, by=office_user)
    year.hearing_rate_formula = RateFormula.INCLUDE_UNKNOWN
    year.save()
    hearing.refresh_from_db()
    first = hearing.results["items"][0]
    assert first["counts"] == {"satisfied": 2, "fairly": 1, "dissatisfied": 1, "unknown": 1}
    assert first["rate"] == "75.00"  # 3 ÷ (5 − 1), the formula of the time of closing
    assert first["score"] == "70.00"  # (100 + 100 + 80 + 0) ÷ 4
    assert hearing.results["overall"]["rate"] == "75.00" and hearing.results["ballots"] == 5
    assert refusal(services.hearing_close, hearing=hearing, by=office_user).code == "status"


def test_the_rate_formulas_and_zero_votes(db):
    counts = {"satisfied": 6, "fairly": 2, "dissatisfied": 1, "unknown": 1}
    assert str(satisfaction_rate(counts, RateFormula.EXCLUDE_UNKNOWN)) == "88.89"
    assert str(satisfaction_rate(counts, RateFormula.INCLUDE_UNKNOWN)) == "80.00"
    only_unknown = {"satisfied": 0, "fairly": 0, "dissatisfied": 0, "unknown": 3}
    assert satisfaction_rate(only_unknown, RateFormula.EXCLUDE_UNKNOWN) is None
    assert str(satisfaction_rate(only_unknown, RateFormula.INCLUDE_UNKNOWN)) == "0.00"
    none = dict.fromkeys(counts, 0)
    assert satisfaction_rate(none, RateFormula.INCLUDE_UNKNOWN) is None
    assert composite_score(only_unknown, {}) is None


def test_closing_with_zero_votes_gives_empty_rates(hearing, voting, office_user):
    voting()
    services.hearing_close(hearing=hearing, by=office_user)
    hearing.refresh_from_db()
    assert hearing.results["overall"] == {
        "counts": {"satisfied": 0, "fairly": 0, "dissatisfied": 0, "unknown": 0},
        "rate": None,
        "score": None,
    }


def test_the_draw_is_reproducible_from_its_seed(hearing):
    drawn = [a.service_object_id for a in services.representatives_draw(hearing=hearing, count=12, seed=20261020)]
    population = list(hearing.unit.service_objects.values_list("id", flat=True))
    assert drawn == services.draw(population, 12, 20261020)
    again = [a.service_object_id for a in services.representatives_draw(hearing=hearing, count=12, seed=20261020)]
    assert again == drawn and hearing.attendees.count() == 12
    hearing.refresh_from_db()
    assert (hearing.draw_seed, hearing.draw_count) == (20261020, 12)
    fresh = services.representatives_draw(hearing=hearing, count=12)
    hearing.refresh_from_db()
    assert [a.service_object_id for a in fresh] == services.draw(population, 12, hearing.draw_seed)


def test_draw_beyond_the_list_is_refused(hearing):
    error = refusal(services.representatives_draw, hearing=hearing, count=41)
    assert error.message_dict == {"count": [str(services.DRAW_TOO_MANY % {"available": 40})]}


def test_only_team_supervisors_may_be_added(hearing, year):
    from ..factories import AppointmentFactory, SupervisorFactory, UnitFactory

    other = AppointmentFactory(supervisor=SupervisorFactory(), year=year, unit=UnitFactory()).supervisor
    district = AppointmentFactory(supervisor=SupervisorFactory(), year=year).supervisor
    assert services.supervisor_add(hearing=hearing, supervisor=district).supervisor == district
    error = refusal(services.supervisor_add, hearing=hearing, supervisor=other)
    assert error.messages == [str(services.NOT_ON_TEAM % {"name": other.name, "unit": hearing.unit.name})]
