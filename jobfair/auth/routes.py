"""Sign-in and sign-out, employers' sign-up, the profile page (password, API tokens),
user administration."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from jobfair.auth import bp, services, sessions
from jobfair.auth.forms import (
    LoginForm,
    PasswordChangeForm,
    SignupForm,
    TokenCreateForm,
    UserCreateForm,
    UserEditForm,
)
from jobfair.auth.models import ApiToken, Role, User
from jobfair.database import page_number
from jobfair.errors import form_status, refusals_shown
from jobfair.extensions import db
from jobfair.rate_limits import per_address, per_value
from jobfair.security import role_required, safe_next_url


def _signed_in(response) -> bool:
    """A sign-in that succeeds redirects to the workspace (and costs the account
    nothing); any other answer (the form again, a refusal) counts against it."""
    return 300 <= response.status_code < 400


#: Where each role starts its work after signing in (a URL to a higher domain's page is
#: a link, not an import).
WORKSPACES = {
    Role.STAFF: "checkin.staff_home",  # today's events to scan
    Role.EMPLOYER: "events.employer_portal",
    Role.ORGANIZER: "events.index",
    Role.ADMIN: "events.index",
    Role.NATIONAL: "national.index",  # every centre's progress
}


def workspace_url(user) -> str:
    """The page a signed-in user starts from: its role's workspace."""
    return url_for(WORKSPACES.get(user.role, "main.home"))


@bp.route("/login", methods=["GET", "POST"])
@per_address("LOGIN_ADDRESS_RATE_LIMIT")
@per_value("LOGIN_RATE_LIMIT", "email", services.normalize_email, refund_when=_signed_in)
def login():
    if current_user.is_authenticated:
        return redirect(workspace_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.sign_in(form.email.data, form.password.data, **_device())
        if user is None:
            # The same words whether the email is unknown, the password wrong or the
            # account deactivated: the page must not tell which emails exist.
            flash(_("Wrong email or password, or the account is not active."), "error")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next_url(request.args.get("next"), workspace_url(user)))
    return render_template("auth/login.html", form=form)


@bp.route("/employers/signup", methods=["GET", "POST"])
@per_address("SIGNUP_RATE_LIMIT")
def employer_signup():
    """An employer signs up: its company record and its first account."""
    if current_user.is_authenticated:
        flash(_("You are already signed in."), "info")
        return redirect(url_for("main.home"))
    form = SignupForm()
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            employer, user = services.sign_up_employer(
                form.values(), email=form.account_email.data, full_name=form.full_name.data,
                password=form.password.data)
        if not refused:
            sessions.start_session(user, **_device())
            login_user(user)
            flash(_("Welcome! %(name)s is registered. The centre will verify it; meanwhile "
                    "you can ask for booths and prepare vacancies.", name=employer.name),
                  "success")
            return redirect(url_for("events.employer_portal"))
    return render_template("employers/signup.html", form=form), form_status(form)


@bp.post("/logout")
@login_required
def logout():
    sessions.sign_out(current_user.current_session)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


def _device() -> dict:
    """What a new device session notes about the browser signing in."""
    # remote_addr is the client's, behind a proxy too (ProxyFix, TRUSTED_PROXY_COUNT).
    return {"user_agent": request.user_agent.string, "address": request.remote_addr}


@bp.get("/profile/sessions")
@login_required
def devices():
    """Your sessions: the devices you are signed in on."""
    return render_template("auth/sessions.html",
                           devices=sessions.active_sessions(current_user),
                           this_device=current_user.current_session)


@bp.post("/profile/sessions/<int:session_id>/end")
@login_required
def end_device(session_id: int):
    """Sign out one of your devices; this one signs out as by the menu."""
    this_device = current_user.current_session.id
    with refusals_shown() as refused:
        sessions.end_own_session(session_id, actor=current_user)
    if refused:
        return redirect(url_for("auth.devices"))
    if session_id == this_device:
        logout_user()
        flash(_("You are signed out."), "info")
        return redirect(url_for("main.home"))
    flash(_("That device is signed out."), "success")
    return redirect(url_for("auth.devices"))


@bp.post("/profile/sessions/end-others")
@login_required
def end_other_devices():
    count = sessions.end_sessions(current_user, keep=current_user.current_session,
                                  actor=current_user)
    flash(ngettext("%(num)d other device is signed out.",
                   "%(num)d other devices are signed out.", count), "success")
    return redirect(url_for("auth.devices"))


@bp.get("/profile")
@login_required
def profile():
    return render_template(
        "auth/profile.html",
        password_form=PasswordChangeForm(prefix="password"),
        token_form=TokenCreateForm(prefix="token"),
        new_token=None,
    )


@bp.post("/profile/password")
@login_required
def change_password():
    form = PasswordChangeForm(prefix="password")
    if form.validate_on_submit():
        with refusals_shown(form, renames={"password": "new_password"}) as refused:
            services.change_password(current_user, form.current_password.data,
                                     form.new_password.data,
                                     keep=current_user.current_session)
        if not refused:
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", password_form=form,
                           token_form=TokenCreateForm(prefix="token"), new_token=None), \
        form_status(form)


@bp.post("/profile/tokens")
@login_required
def create_token():
    form = TokenCreateForm(prefix="token")
    new_token = None
    status = 422
    if form.validate_on_submit():
        _api_token, new_token = services.create_token(
            current_user, form.name.data, int(form.valid_days.data) or None
        )
        status = 201
        form = TokenCreateForm(prefix="token", formdata=None)
    return render_template("auth/profile.html", password_form=PasswordChangeForm(prefix="password"),
                           token_form=form, new_token=new_token), status


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    api_token = db.get_or_404(ApiToken, token_id)
    if api_token.user_id != current_user.id:
        abort(404)
    services.revoke_token(api_token)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("auth.profile"))


@bp.get("/admin/users")
@role_required("admin")
def users():
    page = page_number(request.args)
    listing = db.paginate(db.select(User).order_by(User.role, User.email), page=page, per_page=50)
    return render_template("admin/users.html", users=listing, form=UserCreateForm())


@bp.post("/admin/users")
@role_required("admin")
def create_user():
    form = UserCreateForm()
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            user = services.create_user(form.email.data, form.full_name.data, form.role.data,
                                        form.password.data, form.employer_id.data)
        if not refused:
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("auth.users"))
    listing = db.paginate(db.select(User).order_by(User.role, User.email), page=1, per_page=50)
    return render_template("admin/users.html", users=listing, form=form), \
        form_status(form)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        with refusals_shown(form, flash_always=True) as refused:
            services.update_user(user, full_name=form.full_name.data, role=form.role.data,
                                 is_active=form.is_active.data,
                                 employer_id=form.employer_id.data, actor=current_user)
        if not refused:
            flash(_("Account %(email)s saved.", email=user.email), "success")
            return redirect(url_for("auth.users"))
    return render_template("admin/user_edit.html", user=user, form=form,
                           devices=sessions.active_sessions(user)), form_status(form)


@bp.post("/admin/users/<int:user_id>/sessions/end")
@role_required("admin")
def end_user_sessions(user_id: int):
    """An admin signs a user out of every device."""
    user = db.get_or_404(User, user_id)
    count = sessions.end_sessions(user, actor=current_user)
    if user.id == current_user.id:
        logout_user()  # this device too: as signing out
    flash(ngettext("%(email)s is signed out of %(num)d device.",
                   "%(email)s is signed out of %(num)d devices.", count, email=user.email),
          "success")
    return redirect(url_for("auth.edit_user", user_id=user.id))
