"""A centre's reports carry its own heading and name (the lines it reports under)."""

import csv
import io

from openpyxl import load_workbook

from jobfair.centre_scope import scoped_to
from jobfair.centres.models import Centre
from jobfair.targets.reports import yearly_xlsx
from tests.conftest import CENTRE_ID

HEADING = "UBND TỈNH LÀO CAI\nSỞ NỘI VỤ"


def test_the_event_report_and_the_yearly_spreadsheet_are_headed_by_the_centre(
        db, make_event, make_user, login):
    centre = db.session.get(Centre, CENTRE_ID)
    centre.report_heading, centre.name = HEADING, "Trung tâm Dịch vụ việc làm tỉnh Lào Cai"
    db.session.commit()
    event = make_event(status="closed")
    answer = login(make_user("organizer")).get(f"/manage/events/{event.id}/report.csv")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[0] for row in rows[:3]] == ["UBND TỈNH LÀO CAI", "SỞ NỘI VỤ",
                                            "Trung tâm Dịch vụ việc làm tỉnh Lào Cai"]
    with scoped_to(CENTRE_ID):  # as the yearly job runs: scoped to who asked
        book = load_workbook(io.BytesIO(yearly_xlsx(event.starts_at.year)), read_only=True)
    first = [row[0] for row in book.worksheets[0].iter_rows(max_row=3, values_only=True)]
    assert first == ["UBND TỈNH LÀO CAI", "SỞ NỘI VỤ", "Trung tâm Dịch vụ việc làm tỉnh Lào Cai"]
