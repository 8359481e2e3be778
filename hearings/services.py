"""Writes of the hearing: the one place its rules live.

Status moves: planned → check-in → voting → closed, each recorded with who and when. The list of attendees is
drawn and edited while planned or in check-in; check-in marks who is present; opening the vote needs the quorum,
freezes the attendance and issues one token per voter; closing freezes the results and wipes the plain tokens.
"""

import hashlib
import random
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models import AppraisalYear
from supervisors.models import Appointment

from .models import Answer, Attendee, Ballot, BallotToken, Hearing, HearingEvent, WindowNomination
from .selectors import hearing_tally, items_of

Status = Hearing.Status

WRONG_STATUS = _("This hearing is “%(status)s”: that cannot be done now.")
DRAW_TOO_MANY = _("The unit's list has only %(available)s service objects; draw at most that many.")
DRAW_NOTHING = _("Draw at least one representative.")
NOT_ON_UNIT_LIST = _("“%(name)s” is not on %(unit)s's service-object list for %(year)s.")
NOT_ON_TEAM = _("%(name)s is on neither %(unit)s's supervisor team nor the district team on the hearing's date.")
ALREADY_LISTED = _("%(name)s is already on the list.")
QUORUM_MISSING = _(
    "Voting cannot open yet: %(representatives)s of %(needed_representatives)s service-object representatives "
    "and %(supervisors)s of %(needed_supervisors)s supervisors are checked in."
)
TOKEN_UNKNOWN = _("This ballot link is not valid. Check that you scanned the whole code, or ask the staff.")
TOKEN_USED = _("This ballot has already been used. Each code counts once.")
HEARING_NOT_VOTING = _("Voting is not open for this hearing.")
ANSWER_MISSING = _("Choose an answer for “%(item)s”.")
COMMENT_TOO_LONG = _("Keep the comment within %(limit)s characters (it has %(length)s).")
BALLOTS_FULL = _("All %(voters)s voters checked in have voted already; no more ballots can be counted.")

TOKEN_BYTES = 20  # 160 bits of randomness
COMMENT_MAX_LENGTH = 1000


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _locked(hearing, *allowed):
    """The hearing row, locked for this transaction; refused unless in one of the allowed statuses."""
    hearing = Hearing.objects.select_for_update(of=("self",)).select_related("unit", "year").get(pk=hearing.pk)
    if hearing.status not in allowed:
        raise ValidationError(WRONG_STATUS % {"status": hearing.get_status_display()}, code="status")
    return hearing


def _move(hearing, status, by):
    hearing.status = status
    hearing.save(update_fields=["status", "voters", "ballot_items", "results"])
    HearingEvent.objects.create(hearing=hearing, status=status, by=by)


def hearing_create(*, unit, year, held_on, venue: str, by) -> Hearing:
    hearing = Hearing.objects.create(unit=unit, year=year, held_on=held_on, venue=venue.strip())
    HearingEvent.objects.create(hearing=hearing, status=Status.PLANNED, by=by)
    return hearing


def draw(population_ids, count, seed):
    """The reproducible draw: the same list (ordered by id), count and seed always give the same ids."""
    return sorted(random.Random(seed).sample(sorted(population_ids), count))


@transaction.atomic
def representatives_draw(*, hearing, count: int, seed: int | None = None) -> list[Attendee]:
    """Draw `count` representatives from the unit's service-object list, replacing the previous draw (manual
    additions stay). The seed is stored and shown so anyone can repeat the draw."""
    hearing = _locked(hearing, Status.PLANNED)
    listed = set(hearing.attendees.filter(drawn=False).values_list("service_object_id", flat=True))
    population = [
        pk
        for pk in hearing.unit.service_objects.filter(year=hearing.year).values_list("id", flat=True)
        if pk not in listed
    ]
    if count < 1:
        raise ValidationError({"count": [str(DRAW_NOTHING)]})
    if count > len(population):
        raise ValidationError({"count": [str(DRAW_TOO_MANY % {"available": len(population)})]})
    seed = secrets.randbelow(10**9) if seed is None else seed
    hearing.attendees.filter(drawn=True).delete()
    hearing.draw_seed, hearing.draw_count = seed, count
    hearing.save(update_fields=["draw_seed", "draw_count"])
    return Attendee.objects.bulk_create(
        Attendee(hearing=hearing, kind=Attendee.Kind.REPRESENTATIVE, service_object_id=pk, drawn=True)
        for pk in draw(population, count, seed)
    )


@transaction.atomic
def representative_add(*, hearing, service_object) -> Attendee:
    hearing = _locked(hearing, Status.PLANNED, Status.CHECK_IN)
    if service_object.unit_id != hearing.unit_id or service_object.year_id != hearing.year_id:
        raise ValidationError(
            NOT_ON_UNIT_LIST % {"name": service_object.name, "unit": hearing.unit.name, "year": hearing.year.year}
        )
    if hearing.attendees.filter(service_object=service_object).exists():
        raise ValidationError(ALREADY_LISTED % {"name": service_object.name})
    return Attendee.objects.create(hearing=hearing, kind=Attendee.Kind.REPRESENTATIVE, service_object=service_object)


def eligible_supervisors(hearing):
    """Supervisors on the unit's team or the district team on the hearing's date."""
    appointments = Appointment.objects.active_on(hearing.held_on).filter(year=hearing.year)
    return appointments.filter(Q(unit=hearing.unit) | Q(unit__isnull=True))


@transaction.atomic
def supervisor_add(*, hearing, supervisor) -> Attendee:
    hearing = _locked(hearing, Status.PLANNED, Status.CHECK_IN)
    if not eligible_supervisors(hearing).filter(supervisor=supervisor).exists():
        raise ValidationError(NOT_ON_TEAM % {"name": supervisor.name, "unit": hearing.unit.name})
    if hearing.attendees.filter(supervisor=supervisor).exists():
        raise ValidationError(ALREADY_LISTED % {"name": supervisor.name})
    return Attendee.objects.create(hearing=hearing, kind=Attendee.Kind.SUPERVISOR, supervisor=supervisor)


@transaction.atomic
def attendee_check_in(*, attendee, present: bool = True) -> Attendee:
    _locked(attendee.hearing, Status.CHECK_IN)
    Attendee.objects.filter(pk=attendee.pk).update(checked_in=present)
    attendee.checked_in = present
    return attendee


@transaction.atomic
def hearing_open_check_in(*, hearing, by) -> Hearing:
    hearing = _locked(hearing, Status.PLANNED)
    _move(hearing, Status.CHECK_IN, by)
    return hearing


def quorum(hearing) -> dict:
    present = hearing.attendees.filter(checked_in=True)
    return {
        "representatives": present.filter(kind=Attendee.Kind.REPRESENTATIVE).count(),
        "supervisors": present.filter(kind=Attendee.Kind.SUPERVISOR).count(),
        "needed_representatives": hearing.year.hearing_quorum_representatives,
        "needed_supervisors": hearing.year.hearing_quorum_supervisors,
    }


@transaction.atomic
def hearing_open_voting(*, hearing, by) -> list[str]:
    """Open the vote once the quorum is present: freeze the attendance and issue one token per voter.
    Returns the plain tokens (also kept on the token rows until closing, for reprinting the sheet)."""
    hearing = _locked(hearing, Status.CHECK_IN)
    counts = quorum(hearing)
    if (
        counts["representatives"] < counts["needed_representatives"]
        or counts["supervisors"] < counts["needed_supervisors"]
    ):
        raise ValidationError(QUORUM_MISSING % counts, code="quorum")
    hearing.voters = counts["representatives"] + counts["supervisors"]
    hearing.ballot_items = [{"position": item.position, "name": item.name} for item in items_of(hearing)]
    tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _ in range(hearing.voters)]
    BallotToken.objects.bulk_create(
        BallotToken(hearing=hearing, digest=digest_of(token), secret=token) for token in tokens
    )
    _move(hearing, Status.VOTING, by)
    return tokens


def _clean_answers(hearing, answers: dict, comment: str) -> tuple[dict, str]:
    """The answer per item (by position) and the comment, or every missing answer named at once."""
    cleaned, errors = {}, {}
    for item in items_of(hearing):
        value = answers.get(str(item.position))
        if value in Answer.values:
            cleaned[str(item.position)] = value
        else:
            errors[f"item_{item.position}"] = [str(ANSWER_MISSING % {"item": item.name})]
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [str(COMMENT_TOO_LONG % {"limit": COMMENT_MAX_LENGTH, "length": len(comment)})]
    if errors:
        raise ValidationError(errors)
    return cleaned, comment


def _count_ballot(hearing, field):
    """Claim a place for one more ballot: refused once the hearing is not voting or every voter has voted."""
    claimed = Hearing.objects.filter(
        pk=hearing.pk, status=Status.VOTING, web_ballots__lt=F("voters") - F("paper_ballots")
    ).update(**{field: F(field) + 1})
    if not claimed:
        hearing.refresh_from_db(fields=["status"])
        if hearing.status != Status.VOTING:
            raise ValidationError(HEARING_NOT_VOTING, code="closed")
        raise ValidationError(BALLOTS_FULL % {"voters": hearing.voters}, code="full")


def token_state(secret: str):
    """(token, None) for a token that may vote now, else (token or None, the error code)."""
    try:
        token = BallotToken.objects.select_related("hearing__unit").get(digest=digest_of(secret))
    except BallotToken.DoesNotExist:
        return None, "unknown"
    if token.hearing.status != Status.VOTING:
        return token, "closed"
    if token.used:
        return token, "used"
    return token, None


@transaction.atomic
def ballot_cast(*, secret: str, answers: dict, comment: str = "") -> Ballot:
    """Cast a phone ballot with a one-time token. The token is claimed by a conditional update in the same
    transaction as the ballot is stored: of two submissions with one token exactly one stores a ballot."""
    token, error = token_state(secret)
    if error == "unknown":
        raise ValidationError(TOKEN_UNKNOWN, code="unknown")
    if error == "closed":
        raise ValidationError(HEARING_NOT_VOTING, code="closed")
    hearing = token.hearing
    cleaned, comment = _clean_answers(hearing, answers, comment)
    if not BallotToken.objects.filter(pk=token.pk, used=False).update(used=True):
        raise ValidationError(TOKEN_USED, code="used")
    _count_ballot(hearing, "web_ballots")
    return Ballot.objects.create(hearing=hearing, origin=Ballot.Origin.WEB, answers=cleaned, comment=comment)


@transaction.atomic
def paper_ballot_add(*, hearing, answers: dict, comment: str = "") -> Ballot:
    """Enter one counted paper ballot. Phone and paper ballots together never exceed the voters checked in."""
    cleaned, comment = _clean_answers(hearing, answers, comment)
    _count_ballot(hearing, "paper_ballots")
    return Ballot.objects.create(hearing=hearing, origin=Ballot.Origin.PAPER, answers=cleaned, comment=comment)


@transaction.atomic
def hearing_close(*, hearing, by) -> Hearing:
    """Close the vote: freeze the results with the year's formula and weights, and wipe the plain tokens."""
    hearing = _locked(hearing, Status.VOTING)
    hearing.results = hearing_tally(hearing)
    hearing.tokens.update(secret="")
    _move(hearing, Status.CLOSED, by)
    return hearing


CITY_NOMINATION_LIMIT = 2
CITY_NOMINATIONS_FULL = _(
    "The district recommends at most %(limit)s windows a year for the city's top-ten model windows; "
    "%(year)s already has %(limit)s. Nominate this one for a district award instead."
)
ALREADY_DECIDED = _("This nomination has already been decided.")


@transaction.atomic
def window_nomination_create(*, year, subunit, award, reasons, commitments, satisfaction_evidence) -> WindowNomination:
    """Nominate a sub-unit; at most two for the city's top ten a year. The year's row is locked so two offices
    adding at once cannot both pass the count."""
    year = AppraisalYear.objects.select_for_update().get(pk=year.pk)
    if award == WindowNomination.Award.CITY_TOP_TEN:
        taken = WindowNomination.objects.filter(year=year, award=award).count()
        if taken >= CITY_NOMINATION_LIMIT:
            raise ValidationError(
                CITY_NOMINATIONS_FULL % {"limit": CITY_NOMINATION_LIMIT, "year": year.year}, code="full"
            )
    nomination = WindowNomination(
        year=year,
        subunit=subunit,
        award=award,
        reasons=reasons,
        commitments=commitments,
        satisfaction_evidence=satisfaction_evidence,
    )
    nomination.full_clean()
    nomination.save()
    return nomination


def window_nomination_decide(*, nomination, selected: bool, note: str = "", by) -> WindowNomination:
    """Record the city's or the district's decision once: selected or not, with a note, who and when."""
    status = WindowNomination.Status.SELECTED if selected else WindowNomination.Status.NOT_SELECTED
    now = timezone.now()
    claimed = WindowNomination.objects.filter(pk=nomination.pk, status=WindowNomination.Status.NOMINATED).update(
        status=status, decision_note=note, decided_by=by, decided_at=now
    )
    if not claimed:
        raise ValidationError(ALREADY_DECIDED, code="decided")
    nomination.refresh_from_db()
    return nomination
