"""Fill in Vietnamese translations: `.venv/bin/python scripts/fill_translations.py NEW.json`.

NEW.json maps English msgids to Vietnamese ({"Sign in": "Đăng nhập"}). Run
`make extract-messages` first so that the catalogue has the new msgids; the script
prints what is still untranslated. Then `make translations` compiles the catalogue.
"""

import fcntl
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parents[1] / "jobfair/translations"
CATALOGUE = TRANSLATIONS / "vi/LC_MESSAGES/messages.po"
LOCK = TRANSLATIONS / ".lock"


def main(table_path: str) -> None:
    # The same lock as `make extract-messages`: parallel edits of the catalogue wait.
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _fill(table_path)


def _fill(table_path: str) -> None:
    with CATALOGUE.open("rb") as po_file:
        catalog = read_po(po_file, locale="vi")
    table = json.loads(Path(table_path).read_text(encoding="utf-8"))
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        plural = not isinstance(message.id, str)
        key = message.id[0] if plural else message.id
        if key in table:
            value = table[key]
            if isinstance(value, list):  # a plural given as a list: Vietnamese has one form
                value = value[0]
            if not isinstance(value, str):
                sys.exit(f"not a translation (text or a list of texts): {key!r}")
            message.string = (value, value) if plural else value
            message.flags.discard("fuzzy")
            filled += 1
    # Written aside, then put in place: a failure never leaves half a catalogue.
    written = CATALOGUE.with_suffix(".po.new")
    with written.open("wb") as po_file:
        write_po(po_file, catalog, width=76)  # as `pybabel update` writes it
    written.replace(CATALOGUE)
    missing = [message.id for message in catalog if message.id and not message.string]
    print(f"filled {filled}, still missing {len(missing)}")
    for message_id in missing:
        print("  missing:", message_id)


if __name__ == "__main__":
    main(sys.argv[1])
