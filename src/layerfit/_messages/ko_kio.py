"""Korean forms of the messages added on 2026-12-05 (kio), in the style of ko.py."""

MESSAGES: dict[str, str] = {}
