"""A centre's people never reach another centre's data (jobfair/centre_scope.py).

Signed in as an admin, an organizer and a staff member of centre A, every route of the
URL map is called with every method it allows, its URL arguments filled with centre
B's objects (tests/centres/conftest.py: B holds one of everything). A route about one
of B's objects answers a refusal that says nothing (404, 403, a redirect, 400, 422);
the routes with no centre object of their own (public pages, one's own account, the
centre's own lists, the national employer register) are listed in `KINDS` with the
reason, and their answers show nothing of B's people. No answer is a 500, and no row
of B changes. A route missing from `KINDS`, or an argument missing from the mapping,
fails the test: a new route has to be classified here.
"""

import io
import zipfile
from datetime import date
from itertools import product

import pytest
from sqlalchemy import select

from jobfair.api import API_PREFIX

# --- what each route is about ------------------------------------------------------------

#: about one of B's objects (from its URL, or its body): refused to A's people
B_OBJECT = "B's object"
#: employers' pages with no object: refused to organizers and staff; an admin (let in
#: everywhere by `role_required`) sees them within the admin's centre: nothing of B
EMPLOYERS_ONLY = "employers only"
#: no centre object: public pages (B's published event may show; B's people never)
PUBLIC = "public"
#: no centre object: the signed-in user's own account, session, language
OWN = "own account"
#: no centre object: the user's own centre's lists and figures (nothing of B at all)
OWN_CENTRE = "own centre"
#: no centre object: the national employer register (employers are national)
NATIONAL = "national"
#: the national role's pages (every centre side by side, the centres): refused to a
#: centre's people, admins included
NATIONAL_ROLE = "national role only"
#: a ticket's private link: its key is the ticket holder's, and whoever holds it acts
#: as the attendee, signed in or not (DESIGN.md decision 11: ticket pages read across
#: centres on purpose). Not walked here: A's people cannot know B's keys, which
#: `test_a_ticket_link_is_needed_for_a_ticket_page` checks.
TICKET_HOLDER = "ticket holder"

KINDS = {
    # public pages and references; for A's people they are scoped too, so B's event
    # answers 404 there, but a public page may legitimately show B's published event
    "main.home": PUBLIC,
    "events.show": PUBLIC,
    "events.vacancy_search": PUBLIC,
    "events_api.list_events": PUBLIC,
    "events_api.get_event": PUBLIC,
    "events_api.list_vacancies": PUBLIC,
    "attendees.register": PUBLIC,
    "attendees.find_ticket": PUBLIC,
    "attendees.import_template": PUBLIC,  # an empty spreadsheet
    "checkin.self_check_in": PUBLIC,  # the poster's page: the event, then one's own ticket
    "checkin.apply": PUBLIC,  # applying with the ticket this browser holds
    "checkin.door_service_worker": PUBLIC,
    "auth.login": PUBLIC,
    "auth.employer_signup": PUBLIC,
    "health.healthz": PUBLIC,
    "occupations.search_json": PUBLIC,
    "places.province_wards": PUBLIC,
    "api-docs.openapi_json": PUBLIC,
    "static": PUBLIC,
    "i18n.show_language": OWN,
    "i18n.switch_language": OWN,
    # the signed-in user's own account (ids of B's devices and tokens are B's objects)
    "auth.profile": OWN,
    "auth.change_password": OWN,
    "auth.devices": OWN,
    "auth.end_other_devices": OWN,
    "auth.create_token": OWN,
    "auth.logout": OWN,
    "auth_api.me": OWN,
    "auth.end_device": B_OBJECT,
    "auth.revoke_token": B_OBJECT,
    # the centre's own lists and figures (a year is not an object of B's)
    "events.index": OWN_CENTRE,
    "events.calendar": OWN_CENTRE,
    "events.create": OWN_CENTRE,
    "events_api.create_event": OWN_CENTRE,
    "hiring.index": OWN_CENTRE,
    "privacy.requests": OWN_CENTRE,
    "messages.index": OWN_CENTRE,
    "audit.index": OWN_CENTRE,
    "auth.users": OWN_CENTRE,
    "auth.create_user": OWN_CENTRE,
    "checkin.staff_home": OWN_CENTRE,
    "targets.dashboard": OWN_CENTRE,
    "targets.start_yearly_xlsx": OWN_CENTRE,
    "targets.current_targets": OWN_CENTRE,
    "targets.edit": OWN_CENTRE,
    "targets.apply_preset": OWN_CENTRE,
    "targets.add_ward_target": OWN_CENTRE,
    "targets_api.put_targets": OWN_CENTRE,
    "targets_api.get_progress": OWN_CENTRE,
    # employers are national: any centre's organizers see and verify them
    "employers.index": NATIONAL,
    "employers.edit": NATIONAL,
    "employers.verify": NATIONAL,
    "employers_api.create_employer": NATIONAL,
    # the national role's view of every centre
    "national.index": NATIONAL_ROLE,
    "national.index_xlsx": NATIONAL_ROLE,
    "national.centres": NATIONAL_ROLE,
    "national.new_centre": NATIONAL_ROLE,
    "national_api.get_national_progress": NATIONAL_ROLE,
    # the employers' own pages
    "events.employer_portal": EMPLOYERS_ONLY,
    "events.employer_booths": EMPLOYERS_ONLY,
    "events.employer_vacancies": EMPLOYERS_ONLY,
    "employers.profile": EMPLOYERS_ONLY,
    "checkin.booth_events": EMPLOYERS_ONLY,
    "matching.employer_matches": EMPLOYERS_ONLY,
    "hiring.employer_outcomes": EMPLOYERS_ONLY,
    "counselling.employer_referrals": EMPLOYERS_ONLY,
}
#: everything else names one of B's objects: its URL arguments (or, for these, the body)
BODY_NAMES_B = {"hiring_api.create_hire", "hiring.confirm_many"}

#: URL argument → the key of B's object in `centre_b.ids` (or a plain value)
ARGUMENTS = {
    "event_id": "event_id", "booth_id": "booth_id", "vacancy_id": "vacancy_id",
    "registration_id": "registration_id", "checkin_id": "checkin_id", "visit_id": "visit_id",
    "hire_id": "hire_id", "invitation_id": "invitation_id", "request_id": "request_id",
    "target_id": "target_id", "message_id": "message_id", "user_id": "user_id",
    "employer_id": "employer_id", "session_id": "session_id", "token_id": "token_id",
    "job_id": "job_id", "report_id": "report_id", "access_key": "access_key",
    "secret": "secret", "year": "year", "province_code": "province_code",
    "centre_id": "centre_id",
}
PLAIN_ARGUMENTS = {"code": "en", "kind": "csv", "filename": "css/app.css"}
#: where one endpoint's argument means another of B's objects
OVERRIDES = {
    ("checkin.remove_staff", "user_id"): "staff_user_id",
    ("hiring.revoke", "hire_id"): "confirmed_hire_id",
    ("events_api.approve_booth", "booth_id"): "booth_id",
    ("events.withdraw_booth", "booth_id"): "approved_booth_id",
}

#: an answer that refuses and reveals nothing
REFUSALS = {302, 303, 400, 401, 403, 404, 405, 422}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _routes(app):
    """(endpoint, method, rule) for every rule of the URL map and method it allows."""
    for rule in app.url_map.iter_rules():
        for method in METHODS:
            if method in rule.methods:
                yield rule.endpoint, method, rule


def _url(endpoint, rule, ids):
    values = dict(rule.defaults or {})
    for name in rule.arguments - values.keys():
        if name in PLAIN_ARGUMENTS:
            values[name] = PLAIN_ARGUMENTS[name]
            continue
        assert name in ARGUMENTS, (
            f"{endpoint}: no object of B's for the URL argument {name!r}; add it to "
            "ARGUMENTS in tests/centres/test_cross_centre.py")
        values[name] = ids[OVERRIDES.get((endpoint, name), ARGUMENTS[name])]
    return rule.build(values, append_unknown=False)[1]


def _bodies(ids):
    """A form and a JSON body naming B's objects, filled enough to pass most forms."""
    today = date.today().isoformat()
    form = {"registration_id": ids["registration_id"], "vacancy_id": ids["vacancy_id"],
            "employer_id": ids["employer_id"], "user_id": ids["staff_user_id"],
            "hire_ids": [ids["hire_id"], ids["confirmed_hire_id"]], "event_id": ids["event_id"],
            "topic": "career", "note": "x", "reason": "checked", "stage": "hired",
            "hired_on": today, "token": ids["ticket_token"], "label": "Z9",
            "pending_id": ids["pending_id"], "confirm": "y", "action": "accept",
            "value": "5", "year": str(ids["year"])}
    # the API's schemas refuse unknown fields: a body each, that passes the schema, so
    # that the call reaches the look-up of B's object
    json = {
        "events_api.create_event": {
            "title": "Phien moi cua A", "kind": "periodic", "starts_at": "2030-01-02T01:00:00Z",
            "ends_at": "2030-01-02T05:00:00Z", "venue": "Nha van hoa", "province_code": 1,
            "attendee_capacity": 10, "booth_capacity": 2},
        "events_api.cancel_event": {"reason": "x"},
        "events_api.request_booth": {"employer_id": ids["employer_id"]},
        "events_api.approve_booth": {"label": "Z9"},
        "events_api.create_vacancy": {"employer_id": ids["employer_id"], "title": "Tho han",
                                      "quantity": 1, "qualification": "none"},
        "employers_api.create_employer": {},
        "checkin_api.register": {
            "full_name": "Tran Thi Moi", "phone": "0912000111", "birth_date": "1999-01-01",
            "gender": "female", "qualification": "none", "province_code": 1,
            "ward_code": 9877, "consent": True},
        "checkin_api.create_checkin": {"token": ids["ticket_token"]},
        "checkin_api.undo_checkin": {"reason": "x"},
        "checkin_api.scan_at_booth": {"token": ids["ticket_token"]},
        "checkin_api.rate_booth_visit": {"rating": 1, "note": "x"},
        "hiring_api.create_hire": {"registration_id": ids["registration_id"],
                                   "vacancy_id": ids["vacancy_id"], "hired_on": today},
        "hiring_api.confirm_hire": {"accept_over_quantity": True},
        "counselling_api.record_counselling": {"registration_id": ids["registration_id"],
                                               "topic": "career"},
        "counselling_api.create_referral": {"vacancy_id": ids["vacancy_id"]},
        "targets_api.put_targets": [{"metric": "seekers_reached", "value": 1}],
    }
    return form, json


def _queries(endpoint, is_api, ids):
    """The query strings a GET is tried with: none, and (on pages) a search for B's
    person at B's event, as the lists' filters read it."""
    if is_api:
        return [{"q": "Bqxperson"}] if endpoint == "checkin_api.search_checkins" else [{}]
    return [{}, {"q": "Bqxperson", "event_id": ids["event_id"], "status": "all"}]


def _shown(response) -> str:
    """What an answer shows: its text, the text inside a spreadsheet, where it sends."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = " ".join(archive.read(name).decode("utf-8", "replace")
                            for name in archive.namelist())
    else:
        text = data.decode("utf-8", "replace")
    return text + " " + response.headers.get("Location", "")


# --- B's rows, before and after -------------------------------------------------------


def _b_rows(db, b):
    """Every row belonging to centre B (or to its people, devices and tokens), as plain
    values, keyed by table and primary key."""
    from jobfair.centre_scope import across_centres

    with across_centres():
        connection = db.session.connection()
        tables = db.metadata.tables

        def ids_where(table, condition):
            return {row[0] for row in connection.execute(
                select(tables[table].c.id).where(condition(tables[table].c)))}

        events = ids_where("events", lambda c: c.centre_id == b)
        registrations = ids_where("registrations", lambda c: c.event_id.in_(events))
        persons = {row[0] for row in connection.execute(
            select(tables["registrations"].c.person_id).where(
                tables["registrations"].c.id.in_(registrations)))}
        users = ids_where("users", lambda c: c.centre_id == b)
        vacancies = ids_where("vacancies", lambda c: c.event_id.in_(events))
        own = {"events": events, "registrations": registrations, "persons": persons,
               "users": users, "vacancies": vacancies}
        links = {"centre_id": {b}, "event_id": events, "registration_id": registrations,
                 "person_id": persons, "vacancy_id": vacancies}
        rows = {}
        for name, table in tables.items():
            key = [column.name for column in table.primary_key.columns]
            for row in connection.execute(select(table)).mappings():
                mine = row.get("id") in own.get(name, ()) if "id" in row else False
                mine = mine or any(row.get(column) in values
                                   for column, values in links.items() if column in row)
                if name in ("login_sessions", "api_tokens"):
                    mine = mine or row["user_id"] in users
                if name == "jobs":
                    mine = mine or row["owner_id"] in users
                if mine:
                    rows[(name, tuple(row[column] for column in key))] = dict(row)
        db.session.rollback()
        return rows


def _changes(before, after):
    changed = {key: (before.get(key), after.get(key)) for key in before.keys() | after.keys()
               if before.get(key) != after.get(key)}
    return {key: value for key, value in sorted(changed.items(), key=str)}


# --- the walk -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["organizer", "admin", "staff"])
def test_a_centres_people_reach_nothing_of_another_centre(app, db, login, make_user,
                                                          make_event, centre_b, role):
    user = make_user(role, full_name="Nguoi cua A")  # of centre A (tests.conftest.CENTRE_ID)
    make_event(title="Phien cua A")
    ids = centre_b.ids
    form, json = _bodies(ids)
    before = _b_rows(db, centre_b.centre_id)
    from jobfair.auth.services import create_token

    bearer = {"Authorization": f"Bearer {create_token(user, 'tests')[1]}"}
    db.session.commit()

    unclassified, problems, seen = set(), [], 0
    for endpoint, method, rule in _routes(app):
        kind = KINDS.get(endpoint)
        if "access_key" in rule.arguments:
            kind = TICKET_HOLDER
            continue
        if kind is None:
            if not rule.arguments and endpoint not in BODY_NAMES_B:
                unclassified.add(endpoint)
                continue
            kind = B_OBJECT
        url = _url(endpoint, rule, ids)
        is_api = rule.rule.startswith(API_PREFIX)
        calls = [("cookie", {})]
        if is_api:
            calls.append(("bearer", bearer))
        queries = _queries(endpoint, is_api, ids) if method == "GET" else [{}]
        for (how, headers), query in product(calls, queries):
            client = login(user) if how == "cookie" else app.test_client()
            if is_api:
                response = client.open(url, method=method, headers=headers, query_string=query,
                                       json=None if method == "GET" else json.get(endpoint, {}))
            else:
                response = client.open(url, method=method, query_string=query,
                                       data=None if method == "GET" else form)
            seen += 1
            shown = _shown(response)
            response.close()
            where = f"{role} {how} {method} {url} {query or ''} ({endpoint}, {kind})"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
                continue
            # (what the URL itself holds may come back, as in the language links)
            leaked = [text for text in centre_b.private if text in shown and text not in url]
            if kind != PUBLIC:
                leaked += [text for text in centre_b.public if text in shown]
            if leaked:
                problems.append(f"{where}: {response.status_code} shows {leaked}")
            must_refuse = kind in (B_OBJECT, NATIONAL_ROLE) or (
                kind == EMPLOYERS_ONLY and role != "admin")
            if must_refuse and response.status_code not in REFUSALS:
                problems.append(f"{where}: answered {response.status_code}")

    assert not unclassified, (
        f"routes with no class in KINDS (tests/centres/test_cross_centre.py): "
        f"{sorted(unclassified)}")
    assert seen > 200  # the walk went everywhere
    assert not problems, "\n".join(problems)
    assert _changes(before, _b_rows(db, centre_b.centre_id)) == {}


def test_b_is_whole_and_visible_to_its_own_organizer(app, db, login, centre_b):
    """The walk above is not vacuous: B's organizer sees B's event, attendee, and hires."""
    from jobfair.auth.models import User

    organizer = db.session.get(User, centre_b.ids["user_id"])
    client = login(organizer)
    ids = centre_b.ids
    page = client.get(f"/manage/events/{ids['event_id']}")
    assert page.status_code == 200
    assert "Phien Bqxevent Ha Noi" in page.text
    attendees = client.get(f"/manage/events/{ids['event_id']}/attendees")
    assert "Nguyen Van Bqxperson" in attendees.text
    assert client.get(f"/manage/hires/{ids['confirmed_hire_id']}").status_code == 200
    assert client.get(f"/manage/erasure-requests/{ids['request_id']}").status_code == 200
    assert "98.765" in client.get(f"/manage/targets/{ids['year']}").text or \
        "98765" in client.get(f"/manage/targets/{ids['year']}").text


# --- A's own pages, given B's objects ---------------------------------------------------


@pytest.mark.parametrize("role", ["organizer", "admin", "staff"])
def test_a_centres_event_pages_given_another_centres_objects_refuse(
        app, db, login, make_user, open_event, centre_b, role):
    """The same walk with A's event in the URL and B's other objects beside it (B's
    registration, vacancy, check-in, hire... at A's event): refused as well."""
    from jobfair.events.models import EventStaff

    user = make_user(role)
    if role == "staff":
        db.session.add(EventStaff(event_id=open_event.id, user_id=user.id))
        db.session.commit()
    ids = {**centre_b.ids, "event_id": open_event.id}
    form, _json = _bodies(ids)
    before = _b_rows(db, centre_b.centre_id)
    problems, seen = [], 0
    for endpoint, method, rule in _routes(app):
        others = rule.arguments - {"event_id"} - PLAIN_ARGUMENTS.keys()
        if "event_id" not in rule.arguments or not others \
                or KINDS.get(endpoint, B_OBJECT) != B_OBJECT:
            continue
        url = _url(endpoint, rule, ids)
        response = login(user).open(url, method=method,
                                    data=None if method == "GET" else form)
        seen += 1
        shown = _shown(response)
        response.close()
        leaked = [text for text in (*centre_b.private, *centre_b.public)
                  if text in shown and text not in url]
        if response.status_code not in REFUSALS or leaked:
            problems.append(f"{role} {method} {url} ({endpoint}): "
                            f"{response.status_code} {leaked}")
    assert seen >= 7  # the routes under an event naming another object
    assert not problems, "\n".join(problems)
    assert _changes(before, _b_rows(db, centre_b.centre_id)) == {}


def test_another_centres_ticket_is_unknown_at_a_centres_door(
        app, db, login, make_user, open_event, centre_b):
    """B's ticket, or B's registration found by id, scanned at A's door: "unknown" (not
    "another event", which would tell the ticket is real, nor B's event's title), and
    nothing recorded against B's registration."""
    from jobfair.checkin.models import CheckIn

    client = login(make_user("organizer"))
    ids = centre_b.ids
    for body in ({"token": ids["ticket_token"]},
                 {"registration_id": ids["registration_id"], "method": "manual"}):
        answer = client.post(f"/api/v1/events/{open_event.id}/checkins", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.json["result"] == "unknown", answer.json
        assert not [text for text in (*centre_b.private, *centre_b.public)
                    if text in answer.text]
    search = client.get(f"/api/v1/events/{open_event.id}/checkins/search",
                        query_string={"q": "Bqxperson"})
    assert search.status_code == 200 and search.json["items"] == []
    db.session.expire_all()
    assert db.session.scalar(select(CheckIn.id).where(
        CheckIn.registration_id == ids["registration_id"],
        CheckIn.event_id == open_event.id)) is None


def test_a_centres_services_refuse_another_centres_objects_in_the_body(
        app, db, login, make_user, make_registration, open_event, centre_b):
    """A's event and A's registration, with B's vacancy or B's staff member in the
    body: the counselling desk, the referral API, the staff page and the hires API
    refuse them, and write nothing."""
    from jobfair.auth.models import User
    from jobfair.counselling.models import Referral
    from jobfair.events.models import EventStaff

    organizer = make_user("organizer")
    client = login(organizer)
    registration = make_registration(event=open_event)
    ids = centre_b.ids
    before = _b_rows(db, centre_b.centre_id)
    answers = {
        "referral api": client.post(
            f"/api/v1/events/{open_event.id}/registrations/{registration.id}/referrals",
            json={"vacancy_id": ids["vacancy_id"]}),
        "referral page": client.post(
            f"/events/{open_event.id}/counselling/{registration.id}/referrals",
            data={"vacancy_id": ids["vacancy_id"]}),
        "staff page": client.post(f"/manage/events/{open_event.id}/staff",
                                  data={"user_id": ids["staff_user_id"]}),
        "hire api": client.post("/api/v1/hires", json={
            "registration_id": registration.id, "vacancy_id": ids["vacancy_id"],
            "hired_on": date.today().isoformat()}),
        "outcome page": client.post(f"/manage/registrations/{registration.id}/outcome",
                                    data={"employer_id": ids["employer_id"],
                                          "vacancy_id": ids["vacancy_id"], "stage": "hired",
                                          "hired_on": date.today().isoformat()}),
    }
    for name, answer in answers.items():
        assert answer.status_code in REFUSALS | {200}, (name, answer.status_code)
        shown = _shown(answer)
        assert not [text for text in (*centre_b.private, *centre_b.public)
                    if text in shown], name
    db.session.expire_all()
    assert db.session.scalars(select(Referral).where(
        Referral.registration_id == registration.id)).all() == []
    assert db.session.get(EventStaff, (open_event.id, ids["staff_user_id"])) is None
    assert db.session.get(User, ids["staff_user_id"]).role == "staff"
    from jobfair.hiring.models import Outcome

    assert db.session.scalars(select(Outcome).where(
        Outcome.registration_id == registration.id)).all() == []
    assert _changes(before, _b_rows(db, centre_b.centre_id)) == {}


def test_a_centres_figures_count_nothing_of_another_centre(app, db, login, make_user,
                                                           centre_b):
    """B's hire, counselling and referral of this year count in B's figures, never in
    A's (the rollups are kept per centre)."""
    from jobfair.auth.models import User

    year = centre_b.ids["year"]

    def actuals(user):
        answer = login(user).get(f"/api/v1/targets/{year}/progress")
        assert answer.status_code == 200, answer.text
        return {item["metric"]: item["actual"] for item in answer.json["metrics"]
                if item["area"] is None}

    b_figures = actuals(db.session.get(User, centre_b.ids["user_id"]))
    assert b_figures["jobs_total"] == 1
    assert b_figures["counselled"] == 1 and b_figures["referred"] == 1
    a_figures = actuals(make_user("organizer"))
    assert a_figures.keys() == b_figures.keys()
    assert set(a_figures.values()) == {0}


def test_a_centres_admin_cannot_make_an_account_that_reaches_every_centre(
        app, db, login, make_user, make_employer, centre_b):
    """The national role reads every centre: a centre's admin can neither create a
    national account nor make one of their people national. An employer's account
    made one of the centre's people is put in the centre (never a 500)."""
    from jobfair.auth.models import User
    from tests.conftest import CENTRE_ID, PASSWORD

    admin = make_user("admin")
    organizer = make_user("organizer")
    employer_account = make_user("employer")
    client = login(admin)
    created = client.post("/admin/users", data={
        "email": "quoc.gia@example.vn", "full_name": "Quoc Gia", "role": "national",
        "password": PASSWORD})
    assert created.status_code == 422
    changed = client.post(f"/admin/users/{organizer.id}", data={
        "full_name": organizer.full_name, "role": "national", "is_active": "y"})
    assert changed.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "quoc.gia@example.vn")) is None
    assert db.session.get(User, organizer.id).role == "organizer"
    assert "national" not in client.get("/admin/users").text.split('name="role"', 1)[1] \
        .split("</select>", 1)[0]
    # the service refuses it too, whatever the form offers
    from jobfair.auth import services
    from jobfair.centre_scope import scoped_to
    from jobfair.errors import ValidationFailed

    with scoped_to(CENTRE_ID), pytest.raises(ValidationFailed):
        services.create_user("quoc.gia2@example.vn", "Quoc Gia", "national", PASSWORD)
    db.session.rollback()

    moved = client.post(f"/admin/users/{employer_account.id}", data={
        "full_name": "Nhan vien moi", "role": "staff", "is_active": "y"})
    assert moved.status_code == 302, moved.text
    db.session.expire_all()
    moved_user = db.session.get(User, employer_account.id)
    assert (moved_user.role, moved_user.centre_id, moved_user.employer_id) == \
        ("staff", CENTRE_ID, None)


def test_a_ticket_link_is_needed_for_a_ticket_page(app, db, login, make_user, centre_b):
    """The ticket pages read across centres for whoever holds the link; without B's key
    (a guess, another ticket's key shortened) A's people get nothing of B."""
    client = login(make_user("organizer"))
    key = centre_b.ids["access_key"]
    for guess in (key[:-1], key[:-1] + ("A" if key[-1] != "A" else "B"), "x" * 43):
        for path in ("", "/print", "/qr.png", "/event.ics", "/data", "/matches"):
            answer = client.get(f"/tickets/{guess}{path}")
            assert answer.status_code == 404, (guess, path)
            assert not [text for text in centre_b.private if text in answer.text]
