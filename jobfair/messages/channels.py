"""The two ways a message leaves: e-mail over SMTP, SMS through an HTTP gateway.

Each `send_*` returns when the other side accepted the message, or raises
`Refused` (it will never take it: no retry) or `Unreachable` (try again later).
The SMS gateway is configuration, not a vendor: its URL, a token sent as a bearer
token, and a JSON body template whose strings may hold {phone} and {text}.
"""

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Any

import phonenumbers

DEFAULT_SMS_TEMPLATE = '{"to": "{phone}", "text": "{text}"}'


class Refused(Exception):
    """The other side will never take this message."""


class Unreachable(Exception):
    """The other side did not take it now; it may later."""


def send_email(config, to: str, subject: str, body: str) -> None:
    if not config.get("MAIL_SERVER"):
        raise Unreachable("MAIL_SERVER is not set")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 25),
                          timeout=config.get("MAIL_TIMEOUT", 10)) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        raise Refused(f"SMTP refused the address: {_smtp_reason(error)}") from error
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            raise Refused(f"SMTP {error.smtp_code}") from error
        raise Unreachable(f"SMTP {error.smtp_code}") from error
    except (OSError, smtplib.SMTPException) as error:
        raise Unreachable(f"SMTP: {type(error).__name__}: {error}") from error


def _smtp_reason(error: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(f"{code}" for code, _text in error.recipients.values())


def mobile_number(phone: str, region: str = "VN") -> str | None:
    """The number in E.164 when it is a mobile one (an SMS can reach it), else None."""
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, list):
        return [_fill(item, values) for item in template]
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    return template


def sms_request(config, phone: str, text: str) -> urllib.request.Request:
    template = json.loads(config.get("SMS_GATEWAY_TEMPLATE") or DEFAULT_SMS_TEMPLATE)
    body = json.dumps(_fill(template, {"phone": phone, "text": text}),
                      ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if config.get("SMS_GATEWAY_TOKEN"):
        headers["Authorization"] = f"Bearer {config['SMS_GATEWAY_TOKEN']}"
    return urllib.request.Request(config["SMS_GATEWAY_URL"], data=body, headers=headers,
                                  method="POST")


def send_sms(config, phone: str, text: str) -> None:
    if not config.get("SMS_GATEWAY_URL"):
        raise Unreachable("SMS_GATEWAY_URL is not set")
    request = sms_request(config, phone, text)
    try:
        with urllib.request.urlopen(request, timeout=config.get("SMS_GATEWAY_TIMEOUT", 10)):
            pass
    except urllib.error.HTTPError as error:
        # 4xx: the gateway will not take this one (a refused number, bad data);
        # 429 and 5xx: it may later
        if 400 <= error.code < 500 and error.code not in (408, 429):
            raise Refused(f"SMS gateway answered {error.code}") from error
        raise Unreachable(f"SMS gateway answered {error.code}") from error
    except (OSError, ValueError) as error:
        raise Unreachable(f"SMS gateway: {type(error).__name__}: {error}") from error
