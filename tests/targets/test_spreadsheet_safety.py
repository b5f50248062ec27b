"""Text typed by attendees and employers never runs as a formula in the reports."""

import io
from datetime import date

from openpyxl import load_workbook

from tests.targets.conftest import yearly_report

HOSTILE = '=HYPERLINK("http://evil.example","bấm vào đây")'


def test_yearly_and_event_reports_keep_hostile_text_as_text(
        organizer_client, make_person, make_registration, make_vacancy, make_event, make_hire):
    event = make_event(title="+Phiên " + HOSTILE)
    vacancy = make_vacancy(event=event, title="-" + HOSTILE)
    registration = make_registration(event=event, person=make_person(full_name=HOSTILE))
    make_hire(registration, vacancy, date.today())

    response = yearly_report(organizer_client, date.today().year)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and HOSTILE in cell.value]
    assert cells, "the hostile text should be in the report"
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.value[0] == "'"

    report = organizer_client.get(f"/manage/events/{event.id}/report.xlsx")
    sheet = load_workbook(io.BytesIO(report.data)).active
    titles = [cell for row in sheet.iter_rows() for cell in row
              if isinstance(cell.value, str) and HOSTILE in cell.value]
    assert titles and all(cell.data_type == "s" and cell.value[0] == "'" for cell in titles)
    csv_text = organizer_client.get(f"/manage/events/{event.id}/report.csv").get_data(
        as_text=True)
    assert "'+Phiên" in csv_text
