"""The centre's own services at a fair: counselling (tư vấn) and referral of a person to
a vacancy (giới thiệu việc làm), recorded by staff and organizers and counted
(DESIGN.md "Counselling and referral")."""

from flask import Blueprint

bp = Blueprint("counselling", __name__)

from jobfair.counselling import api, models, routes  # noqa: E402,F401  (routes attach to bp)
