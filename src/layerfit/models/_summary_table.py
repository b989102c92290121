"""The box table Keras 3's ``summary()`` prints, laid out as its ``rich`` table lays it out.

Keras gives each column a fixed width from ``positions`` and asks rich for a table of
``line_length`` characters; rich then shrinks the columns evenly to fit, wraps cells at spaces
and cuts a word longer than its column with an ellipsis. Doing the same here gives the same
text without depending on rich.
"""

from __future__ import annotations

import unicodedata


def text_width(text: str) -> int:
    """Terminal cells ``text`` takes (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def keras_widths(positions, line_length: int) -> list[int]:
    """The widths Keras asks of each column: from one position to the next."""
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        widths.append(width)
        current += width
    return widths


def column_widths(positions, line_length: int) -> list[int]:
    """Content widths of the columns: Keras's widths from positions, shrunk as rich does."""
    widths = keras_widths(positions, line_length)
    padded = [w + 2 for w in widths]  # one space each side
    room = line_length - (len(widths) + 1)  # the vertical borders
    excess = sum(padded) - room
    if excess > 0:  # rich's ratio_reduce with equal ratios: round half to even, left first
        remaining, parts = excess, len(padded)
        for i, width in enumerate(padded):
            cut = min(width, round(remaining / parts))
            padded[i] = width - cut
            remaining, parts = remaining - cut, parts - 1
    return [max(0, w - 2) for w in padded]


def wrap(text: str, width: int) -> list[str]:
    """Lines of ``text`` at most ``width`` wide, broken at spaces; long words end in '…'."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        indent = " " * (len(paragraph) - len(paragraph.lstrip(" ")))  # nested rows' "   └ "
        words = paragraph.lstrip(" ").split(" ")
        line = indent + words[0]
        for word in words[1:]:
            if text_width(f"{line} {word}") <= width:
                line = f"{line} {word}"
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return [_truncate(line, width) for line in lines]


def _truncate(line: str, width: int) -> str:
    if text_width(line) <= width:
        return line
    cut = ""
    for ch in line:
        if text_width(cut + ch) > width - 1:
            break
        cut += ch
    return cut + "…"


def _align(text: str, width: int, justify: str) -> str:
    room = max(0, width - text_width(text))
    if justify == "right":
        return " " * room + text
    if justify == "center":
        left = room // 2
        return " " * left + text + " " * (room - left)
    return text + " " * room


def render(headers, rows, widths, justify) -> list[str]:
    """The table's lines: heavy header box, a rule between rows, as Keras prints it."""

    def rule(left, mid, right, fill):
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def row_lines(cells, bar):
        wrapped = [wrap(cell, w) for cell, w in zip(cells, widths)]
        height = max(len(lines) for lines in wrapped)
        if bar == "┃":  # header cells sit on the rule below them, as rich draws them
            wrapped = [[""] * (height - len(lines)) + lines for lines in wrapped]
        out = []
        for i in range(height):
            parts = [
                _align(lines[i] if i < len(lines) else "", w, j)
                for lines, w, j in zip(wrapped, widths, justify)
            ]
            out.append(bar + bar.join(f" {p} " for p in parts) + bar)
        return out

    lines = [rule("┏", "┳", "┓", "━"), *row_lines(headers, "┃"), rule("┡", "╇", "┩", "━")]
    for index, cells in enumerate(rows):
        lines += row_lines(cells, "│")
        if index < len(rows) - 1:
            lines.append(rule("├", "┼", "┤", "─"))
    lines.append(rule("└", "┴", "┘", "─"))
    return lines
