"""An import running on the job runner, seen from a phone: the progress bar moves as
the job reports, and the page shows the result by itself once the job ends; without
JavaScript, the page refreshes itself."""

from sqlalchemy import update

from jobfair.jobs import Job


def test_the_progress_bar_moves_and_the_result_comes_by_itself(db, phone, live_server,
                                                              sign_in_page, make_user,
                                                              make_event):
    from tests.conftest import PASSWORD

    organizer = make_user("organizer", email="import@progress.vn")
    event = make_event()
    db.session.add(Job(id="p" * 43, kind="attendees.check_import", owner_id=organizer.id,
                       state="running", payload={"event_id": event.id}, locale="vi"))
    db.session.commit()
    sign_in_page(phone, live_server, organizer.email, PASSWORD)
    errors = []
    phone.on("console", lambda message: message.type == "error" and errors.append(
        message.text))
    phone.goto(f"{live_server}/manage/events/{event.id}/attendees/import/{'p' * 43}")
    assert phone.inner_text(".job-progress h2") == "Đang kiểm tra tệp…"

    db.session.rollback()  # a fresh transaction: the server wrote meanwhile (SQLite)
    db.session.execute(update(Job).values(done=2000, total=5000,
                                          message="Đang kiểm tra các dòng"))
    db.session.commit()
    phone.wait_for_selector(".job-message:text('Đang kiểm tra các dòng')")
    assert phone.evaluate("[document.querySelector('.job-progress progress').value, "
                          "document.querySelector('.job-progress progress').max]") == [2000,
                                                                                       5000]

    report = {"total_rows": 3, "valid_count": 3, "errors": [], "duplicates": [],
              "pending_id": "x", "places_left": 100}
    db.session.rollback()
    db.session.execute(update(Job).values(state="done", result=report))
    db.session.commit()
    phone.wait_for_selector(".import-report", timeout=10_000)  # reloaded by itself
    assert "Đã đọc 3 dòng: 3 dòng nhập được" in phone.inner_text(".import-report")
    assert not phone.query_selector(".job-progress")
    assert not errors


def test_without_javascript_the_page_refreshes_itself(db, browser, live_server, sign_in_page,
                                                      make_user, make_event):
    from tests.browser.conftest import PHONE
    from tests.conftest import PASSWORD

    organizer = make_user("organizer", email="nojs@progress.vn")
    event = make_event()
    db.session.add(Job(id="q" * 43, kind="attendees.import", owner_id=organizer.id,
                       state="queued", payload={"event_id": event.id}, locale="vi"))
    db.session.commit()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    sign_in_page(page, live_server, organizer.email, PASSWORD)
    page.goto(f"{live_server}/manage/events/{event.id}/attendees/import/{'q' * 43}")
    assert "Đang chờ đến lượt…" in page.inner_text(".job-progress")
    assert page.query_selector(".job-progress a")  # a reload link too
    db.session.rollback()
    db.session.execute(update(Job).values(state="done", result={"count": 7}))
    db.session.commit()
    page.wait_for_selector(".import-done", timeout=10_000)  # the meta refresh, every 3 s
    assert "Đã nhập 7 người lao động" in page.inner_text(".import-done")
    context.close()
