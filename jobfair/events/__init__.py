"""Events (job-exchange sessions): scheduling, publishing, booths, vacancies, public
event pages and the vacancy search."""

from flask import Blueprint

bp = Blueprint("events", __name__)

from jobfair.events import api, employer_pages, message_pages, models, routes  # noqa: E402,F401  (routes attach to bp)
