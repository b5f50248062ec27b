"""The occupation picker: a text field that takes a code or words ("may mac", "thợ
hàn"), with a list of the occupations to choose from (a <datalist>, so that it works
without JavaScript; `static/js/occupations.js` narrows it as the person types, accents
ignored). The services read the text with `services.read_code`."""

from wtforms import StringField
from wtforms.validators import Length, Optional

from jobfair.occupations.services import label, occupation

LIST_ID = "occupation-list"


class OccupationField(StringField):
    """Shows a stored code as "8153 – Công nhân vận hành máy may"; gives back the text
    typed (the service resolves it)."""

    def __init__(self, label_text=None, validators=None, **kwargs):
        render_kw = {"list": LIST_ID, "autocomplete": "off", "data-occupation-picker": "",
                     **kwargs.pop("render_kw", {})}
        super().__init__(label_text, validators or [Optional(), Length(max=200)],
                         render_kw=render_kw, **kwargs)

    def process_data(self, value):
        super().process_data(label(value) if occupation(value) else value)
