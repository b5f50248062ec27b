"""What every form of the site shares: its messages in the page's language, and number
fields that read amounts and counts as people in Vietnam type them.

Every form derives from `Form` (tests/test_forms.py checks it), so a form written
later speaks Vietnamese without further work.
"""

from flask_babel import format_decimal, get_translations
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange, ValidationError
from wtforms.widgets import TextInput

from jobfair.numbers import parse_vietnamese_number


class _CatalogueTranslations:
    """WTForms' messages looked up in our own catalogue: WTForms ships no Vietnamese
    one, and Flask-WTF's translations read only WTForms' catalogues."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class Form(FlaskForm):
    """The base of every form of the site."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()


class CountField(IntegerField):
    """A whole number typed the Vietnamese way ("1.000", "2 nghìn") or the English way."""

    widget = TextInput()
    input_mode = "numeric"

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": self.input_mode, "autocomplete": "off",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_vietnamese_number(valuelist[0])
        except ValueError as error:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value.")) from error

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format_decimal(self.data)


class AmountField(CountField):
    """An amount of money: "7.000.000", "7 triệu", "7,5 triệu", "12 tr"."""

    input_mode = "decimal"  # phones then offer the "." and "," keys


class InRange(NumberRange):
    """NumberRange whose message writes its bounds as the page's language does
    ("10.000.000.000" in Vietnamese); the messages are WTForms' own."""

    def __call__(self, form, field):
        data = field.data
        if data is not None and (self.min is None or data >= self.min) and (
                self.max is None or data <= self.max):
            return
        if self.message is not None:
            message = self.message
        elif self.max is None:
            message = field.gettext("Number must be at least %(min)s.")
        elif self.min is None:
            message = field.gettext("Number must be at most %(max)s.")
        else:
            message = field.gettext("Number must be between %(min)s and %(max)s.")
        raise ValidationError(message % {
            "min": "" if self.min is None else format_decimal(self.min),
            "max": "" if self.max is None else format_decimal(self.max)})


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it here."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a plural for the catalogue (`-k N_plural:1,2`)."""
    return singular, plural


# WTForms' own messages that our forms can show, listed so that the
# catalogue carries their translation. The msgids must stay exactly WTForms' own.
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid email address."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Field must be equal to %(other_name)s."),
    N_plural("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long."),
    N_plural("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters."),
    N_plural("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field."),
)
