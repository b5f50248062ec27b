"""JSON API of the employers domain (API.md)."""

from jobfair.api import api_blueprint

blp = api_blueprint("employers_api", __name__, description="Employers and their vacancies.")
