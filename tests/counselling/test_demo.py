"""The demo shows the centre's services on the dashboard: persons counselled, referred
and one placed via referral, against targets."""

from sqlalchemy import func, select

from jobfair.centre_scope import scoped_to
from jobfair.counselling.models import Counselling, Referral
from jobfair.database import local_today
from jobfair.demo import seed
from jobfair.targets.progress import dashboard
from tests.conftest import CENTRE_ID


def test_demo_counts_counselling_referrals_and_a_placement(db):
    seed()
    counselled = db.session.scalar(select(func.count(Counselling.id)))
    seed()  # a second run adds nothing
    assert db.session.scalar(select(func.count(Counselling.id))) == counselled > 0
    assert db.session.scalar(select(func.count(Referral.id))) > 0
    with scoped_to(CENTRE_ID):  # Lào Cai's services (the demo has two more centres)
        board = dashboard(local_today().year)
    shown = {item.metric: item for item in board.metrics}
    assert shown["counselled"].actual > 0 and shown["counselled"].target == 2_000
    assert shown["referred"].actual > 0
    assert shown["placed_via_referral"].actual == 1
    assert shown["placement_rate"].target == 40
    assert 0 < shown["placement_rate"].actual <= 100
