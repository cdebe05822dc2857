"""``--mask-pii``: caller numbers, e-mails and customer names shown masked.

For wall screens and screenshots; on by default in wallboard mode. Masking keeps enough to
tell contacts apart (last digits, first letters, the mail domain) and nothing more.
"""

from __future__ import annotations

import re

BULLETS = "•••"
_PHONE = re.compile(r"^\+?[\d\s().-]{6,}$")


def mask(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if _PHONE.match(text):
        digits = re.sub(r"\D", "", text)
        prefix = f"+{digits[0]} " if text.startswith("+") and len(digits) > 7 else ""
        return f"{prefix}{BULLETS} {BULLETS} {digits[-4:]}"
    if "@" in text:
        local, _, domain = text.partition("@")
        return f"{local[:1]}{BULLETS}@{domain}"
    words = [w for w in text.split() if w]
    return " ".join(f"{w[:1]}{BULLETS}" for w in words) or BULLETS
