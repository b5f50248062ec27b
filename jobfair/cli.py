"""Command-line tools: `flask --app jobfair users create`, `tokens create`, `seed-demo`."""

from itertools import groupby

import click
from flask import Flask
from flask.cli import AppGroup

from jobfair.auth import services as auth_services
from jobfair.auth.models import Role, User
from jobfair.errors import DomainError
from jobfair.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "full_name", default=None, help="Full name (defaults to the email).")
@click.option("--employer-id", type=int, default=None, help="For employer accounts.")
@click.option("--centre", "province", type=int, default=None,
              help="For admin, organizer and staff accounts: the province code of their "
                   "centre (by default the only centre, when there is one).")
def create_user(email, role, password, full_name, employer_id, province):
    """Create a user account with a role."""
    from jobfair.centres.services import all_centres, centre_of_province

    centres = all_centres()
    centre = (centre_of_province(province) if province is not None
              else centres[0] if len(centres) == 1 else None)
    if province is not None and centre is None:
        raise click.ClickException(f"No centre for the province {province}.")
    try:
        user = auth_services.create_user(email, full_name or email, role, password, employer_id,
                                         centre_id=centre.id if centre else None)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.email} ({user.role}), id {user.id}.")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="command line", help="What the token is for.")
@click.option("--days", type=int, default=None, help="Expires after this many days.")
def create_token(email, name, days):
    """Create an API token for EMAIL and print it (it is shown only once)."""
    user = auth_services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with the email {email}.")
    _api_token, token = auth_services.create_token(user, name, days)
    click.echo(token)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
def seed_demo(if_empty):
    """Load demo data drawn from SEEDS.md (idempotent) and print the demo sign-ins."""
    from jobfair.demo import DEMO_PASSWORD, seed

    if if_empty and db.session.scalar(db.select(db.func.count(User.id))):
        click.echo("Demo data: the database already has users, nothing loaded.")
    else:
        for line in seed():
            click.echo(line)
    click.echo(f"Demo sign-ins (password {DEMO_PASSWORD}):")
    users = db.session.scalars(db.select(User).where(User.email.like("%@demo.jobfair.vn"))
                               .order_by(User.centre_id.is_(None), User.centre_id, User.id)
                               .limit(30)).all()
    for centre, group in groupby(users, key=lambda user: user.centre):
        click.echo(f"  {centre.name if centre else 'Every centre (national, employers)'}:")
        for user in group:
            click.echo(f"    {user.role:<10} {user.email}")


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(seed_demo)
