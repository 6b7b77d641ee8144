"""Flask-Admin at /admin: platform admins only, every view and the index.

The tenant rules still apply below these views: list and count queries are
filtered by the session guard, and `get_one` goes through `Session.get`, which
the guard holds to the read scope too, so no override is needed here.
"""
from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, BaseView, expose
from flask_admin.actions import action
from flask_admin.babel import gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_admin.contrib.sqla.filters import FilterEmpty
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError

from app.accounts.emails import EmailRule, email_address
from app.accounts.models import RoleGrant, User
from app.admin.rules import followed_rules, say_taken_on_the_field
from app.auth.invitations import Invitations, invite_people
from app.auth.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, hash_password
from app.auth.services import person_with_email
from app.auth.sessions import withdraw_access
from app.districts import rules as school_rules
from app.districts.forms import SchoolSchema
from app.districts.models import Position, School, SchoolLeader
from app.districts.people import give_leader_grant, leader_problem
from app.extensions import db
from app.fieldwork.models import LookFor, Rubric, SupportType
from app.fieldwork.services import new_rubric_version, rubric_has_ratings
from app.lists import enum_choices
from app.plans.impact import question_has_answers
from app.plans.models import EquityImpactQuestion
from app.text import slugify
from tenants.access import is_platform_admin
from tenants.models import AccountabilityStatus, District, Lifecycle, Region
from tenants.personnel import record_counts
from tenants.roles import Role
from workers.queues import enqueue


class PlatformAdminOnly:
    def is_accessible(self) -> bool:
        return is_platform_admin(current_user)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=request.full_path))
        abort(403, "The admin area is for platform admins.")


class IndexView(PlatformAdminOnly, AdminIndexView):
    @expose("/")
    def index(self):
        return self.render("admin/index.html")


class AdminForm(FlaskForm):
    """Flask-WTF's form (the app-wide CSRF protection) that also keeps the record it edits as `_obj`.

    Flask-Admin's own BaseForm sets `_obj`, and its `Unique` validator reads it to tell the record
    being saved from another one: without it every save of an existing person, district, region or
    support type answered "Already exists."
    """

    def __init__(self, formdata=None, obj=None, prefix="", **kwargs):
        self._obj = obj
        # Flask-Admin passes the request's form explicitly; None (a GET) must not make Flask-WTF read it.
        super().__init__(formdata=formdata, obj=obj, prefix=prefix, **kwargs)


class PlatformView(PlatformAdminOnly, ModelView):
    form_base_class = AdminForm
    list_template = "admin/list.html"
    can_view_details = True
    page_size = 50
    # No bulk delete: a district's data goes by archiving, and one row at a time is deliberate.
    action_disallowed_list = ["delete"]

    # The form being saved, for a refusal from the database to be said on its field (one request, one form).
    def create_model(self, form):
        g.admin_form = form
        return super().create_model(form)

    def update_model(self, form, model):
        g.admin_form = form
        return super().update_model(form, model)

    def handle_view_exception(self, exc: Exception) -> bool:
        """A refusal from the database is said in words; its SQL and parameters go to the log, never the page."""
        if isinstance(exc, IntegrityError) and say_taken_on_the_field(exc, g.get("admin_form"), self.model):
            current_app.logger.info("admin save refused as a duplicate: %s", exc.orig)
            return True
        if isinstance(exc, SQLAlchemyError):
            current_app.logger.warning("admin save refused by the database: %s", exc)
            if request.endpoint and request.endpoint.endswith(".delete_view"):
                flash("Not deleted: other records still depend on this one.", "error")
            else:
                flash("Not saved: another record already has one of these values, or a value does not fit. "
                      "Check the fields and try again.", "error")
            return True
        return super().handle_view_exception(exc)


class RegionView(PlatformView):
    column_list = ("name",)
    form_excluded_columns = ("districts",)


def _email_free(form, field) -> None:
    """One person per address, whatever its case."""
    other = person_with_email(field.data)
    if other is not None and other is not form._obj:
        raise StopValidation(f"{other.name} already has this email address: each person needs their own.")


class UserView(PlatformView):
    column_list = ("name", "email", "active", "password_set", "created_at")
    column_labels = {"password_set": "Password set"}
    column_formatters = {"password_set": lambda view, context, model, name: "yes" if model.password_hash else "not yet"}
    column_searchable_list = ("name", "email")
    # "Password empty: yes" finds the people invited who have not chosen a password yet, to resend to them.
    column_filters = (FilterEmpty(User.password_hash, "Password"),)
    form_columns = ("name", "email", "active", "new_password")
    form_args = {"email": {"validators": [DataRequired(), EmailRule(), _email_free]}}
    form_extra_fields = {
        "new_password": PasswordField(
            "New password", validators=[Optional(), Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH)],
            description="Leave empty to keep the current password. A person added without one is mailed an invitation.",
        )
    }

    def on_model_change(self, form, model, is_created):
        model.email = email_address(model.email)
        if form.new_password.data:
            model.password_hash = hash_password(form.new_password.data)  # its sessions and tokens end with it
        if not is_created and not model.active and inspect(model).attrs.active.history.has_changes():
            # Taking access away takes it at once, and reactivating later does not bring old tokens back.
            withdraw_access(model.id)

    def after_model_change(self, form, model, is_created):
        if is_created and model.password_hash is None:
            _flash_invitations(invite_people([model.id], current_user.id))

    @action("resend_invitation", "Resend invitation", "Mail the selected people a new invitation?")
    def action_resend_invitation(self, ids):
        _flash_invitations(invite_people([int(i) for i in ids], current_user.id))


def _flash_invitations(result: Invitations) -> None:
    for category, message in result.messages():
        flash(message, category)


def _evaluations_for_a_leader(form, field) -> None:
    """Said on the field, not left to the database's CHECK (sees_evaluations_is_a_leaders) to refuse as SQL."""
    if field.data and form.role.data != Role.DISTRICT_LEADER:
        raise ValidationError("Only a district leader's grant may see evaluations: the superintendent's. Untick it, "
                              "or make this grant a district leader's.")


class RoleGrantView(PlatformView):
    column_list = ("user", "role", "region", "district", "title", "sees_evaluations")
    column_filters = ("role",)
    column_labels = {"sees_evaluations": "Sees evaluations"}
    form_columns = ("user", "role", "region", "district", "title", "sees_evaluations")
    form_choices = {"role": enum_choices(Role)}
    form_args = {"sees_evaluations": {
        "label": "Sees evaluations",
        "description": "The superintendent: reads every evaluation of the district's principals. A district "
                       "leader's grant only; evaluators and principals read their own without it.",
        "validators": [_evaluations_for_a_leader],
    }}


class DistrictView(PlatformView):
    column_list = ("name", "region", "accountability_status", "lifecycle", "enrollment", "school_count")
    column_searchable_list = ("name",)
    column_filters = ("lifecycle", "accountability_status")
    form_columns = ("name", "slug", "region", "kind", "city", "accountability_status", "enrollment", "lifecycle")
    form_choices = {"accountability_status": enum_choices(AccountabilityStatus), "lifecycle": enum_choices(Lifecycle)}

    def on_model_change(self, form, model, is_created):
        model.slug = slugify(model.slug or model.name)


class SchoolView(PlatformView):
    column_list = ("name", "district", "code", "grade_span", "enrollment", "accountability_category")
    column_searchable_list = ("name", "code")
    form_columns = ("district", "name", "code", "grade_span", "enrollment", "accountability_category", "city")
    form_choices = {"accountability_category": enum_choices(AccountabilityStatus)}
    # The rules the import loads a school with (app/onboarding/rows.py: app/fields.py and app/districts/rules.py).
    form_args = followed_rules(SchoolSchema(), ("name", "code", "grade_span", "enrollment"))

    def on_model_change(self, form, model, is_created):
        model.code = school_rules.school_code(model.code)
        model.grade_span = school_rules.grade_span(model.grade_span)

    def after_model_change(self, form, model, is_created):
        if is_created:
            enqueue("workers.jobs.refresh_school_count", model.district_id, current_user.id)


def _schools():
    return db.session.scalars(select(School).order_by(School.name, School.id)).all()


class SchoolLeaderView(PlatformView):
    """A school's principal and assistant principals, by the rules of the school page's form
    (app/districts/people.py): one principal per school, nobody of another district; a viewer grant if needed."""

    column_list = ("school", "district", "person", "position")
    column_labels = {"person": "Person"}
    column_formatters = {"position": lambda view, context, model, name: model.position_label}
    form_columns = ("school", "person", "position")
    form_choices = {"position": enum_choices(Position)}
    form_extra_fields = {
        "school": QuerySelectField("School", query_factory=_schools, validators=[DataRequired()],
                                   get_pk=lambda school: f"{school.district_id}-{school.id}",
                                   get_label=lambda school: f"{school.name} · {school.district.name}"),
    }
    # A leader is added or removed; changing one is removing it and adding another.
    can_edit = False

    def on_model_change(self, form, model, is_created):
        school, person = form.school.data, form.person.data
        model.district_id, model.school_id, model.user_id = school.district_id, school.id, person.id
        # The new row is in the session already (Flask-Admin adds it first): the checks must not write it.
        with db.session.no_autoflush:
            problem = leader_problem(school.district, school, person, Position(form.position.data))
        if problem:
            raise ValidationError(" ".join(message for messages in problem.values() for message in messages))
        give_leader_grant(person, school.district_id, Position(form.position.data))


class SupportTypeView(PlatformView):
    column_list = ("name", "description", "active")
    form_columns = ("name", "description", "active")


class RubricInUse:
    """A rubric with ratings is never edited under them: admins make a new version instead."""

    message = "This rubric has ratings. Use “New version” on the rubric list and edit the copy."

    def rubric_of(self, model) -> int:
        raise NotImplementedError

    def on_model_change(self, form, model, is_created):
        if not is_created and rubric_has_ratings(self.rubric_of(model)):
            raise ValidationError(self.message)

    def on_model_delete(self, model):
        if rubric_has_ratings(self.rubric_of(model)):
            raise ValidationError(self.message)


class RubricView(RubricInUse, PlatformView):
    column_list = ("name", "version", "scale_min", "scale_max", "active", "created_at")
    form_columns = ("name", "scale_min", "scale_max", "scale_labels", "active")
    inline_models = ((LookFor, {"form_columns": ("id", "position", "title", "description")}),)

    def rubric_of(self, model) -> int:
        return model.id

    @action("new_version", "New version", "Copy the selected rubrics as new versions?")
    def action_new_version(self, ids):
        for rubric_id in ids:
            copy = new_rubric_version(db.session.get(Rubric, int(rubric_id)))
            flash(gettext(f"{copy} created; the earlier version is no longer offered for new observations."))
        db.session.commit()


class LookForView(RubricInUse, PlatformView):
    column_list = ("rubric", "position", "title")
    form_columns = ("rubric", "position", "title", "description")

    def rubric_of(self, model) -> int:
        return model.rubric_id


class EquityImpactQuestionView(PlatformView):
    """A question with answers keeps its wording: admins deactivate it and add the new wording as a new question."""

    column_list = ("position", "text", "active")
    column_default_sort = "position"
    form_columns = ("position", "text", "help_text", "active")
    message = ("This question has answers, so its wording stays: untick “Active” to stop asking it, and add the "
               "new wording as a new question.")

    def on_model_change(self, form, model, is_created):
        if not is_created and inspect(model).attrs.text.history.has_changes() and question_has_answers(model.id):
            raise ValidationError(self.message)

    def on_model_delete(self, model):
        if question_has_answers(model.id):
            raise ValidationError(self.message)


class EvaluationCyclesView(PlatformAdminOnly, BaseView):
    """How many principals' evaluation cycles each district keeps: counts for support, never a cycle's content,
    which no platform admin reads (tenants/personnel.py; no model view here lists an evaluation model)."""

    @expose("/")
    def index(self):
        districts = db.session.scalars(select(District).order_by(District.name)).all()
        return self.render("admin/evaluation_cycles.html", districts=districts, counts=record_counts())


def init_admin(app) -> None:
    admin = Admin(
        app,
        name="Support platform admin",
        index_view=IndexView(url="/admin"),
        theme=Bootstrap4Theme(swatch="default"),
        csp_nonce_generator=lambda: g.csp_nonce,
    )
    admin.add_view(RegionView(Region, db, category="Platform"))
    admin.add_view(UserView(User, db, category="People"))
    admin.add_view(RoleGrantView(RoleGrant, db, name="Role grants", category="People"))
    admin.add_view(DistrictView(District, db, category="Districts"))
    admin.add_view(SchoolView(School, db, category="Districts"))
    admin.add_view(SchoolLeaderView(SchoolLeader, db, name="School leaders", category="Districts"))
    admin.add_view(EvaluationCyclesView(name="Evaluation cycles", endpoint="evaluation_cycles", category="Districts"))
    admin.add_view(SupportTypeView(SupportType, db, name="Support catalog", category="Catalogs"))
    admin.add_view(RubricView(Rubric, db, name="Rubrics", category="Catalogs"))
    admin.add_view(LookForView(LookFor, db, name="Look-fors", category="Catalogs"))
    admin.add_view(EquityImpactQuestionView(EquityImpactQuestion, db, name="Equity impact questions",
                                            category="Catalogs"))
