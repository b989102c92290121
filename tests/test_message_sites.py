"""Issue 21: every message template in layerfit's source has a Korean form in the catalogue.

tests/message_sites.py reads src/layerfit with ``ast`` and finds every part of every message:
the arguments of explain()/warn(), the text of localize(), strings given to our error classes.
A template with English prose and no Korean form fails here, naming the line and the template
(``python tests/message_sites.py`` prints them all as catalogue lines to fill in). The templates
not yet translated are listed in tests/messages_untranslated.txt: the list may only shrink.
"""

import ast
import re
from pathlib import Path

import message_sites
import pytest
from test_messages_ko import english_prose_runs

from layerfit._messages import ko

UNTRANSLATED = Path(__file__).with_name("messages_untranslated.txt")
SOURCE = message_sites.SOURCE


def _untranslated() -> set[str]:
    lines = UNTRANSLATED.read_text(encoding="utf-8").splitlines()
    return {ast.literal_eval(line) for line in lines if line.strip() and not line.startswith("#")}


def needs_translation(site: message_sites.Site) -> bool:
    """True when the template has an English word outside code: 'pooling={pooling}.' has none."""
    # A field joins the code around it (model.{method}(x) is one token).
    return has_prose(re.sub(r"\x00\d+\x00", "Q", site.sample()))


def has_prose(text: str) -> bool:
    """An English word outside code (quoted spans are code) in ``text``."""
    text = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"", " ", text)
    return any(
        re.fullmatch(r"[a-z]{2,}", word)
        and word == token.strip(",.:;!?")
        and word != "layerfit"  # a name, written in lower case
        for token in text.split()
        for word in [token.strip(",.:;!?()[]")]
    )


def translated(site: message_sites.Site) -> bool:
    """A catalogue entry fits the site, and what it gives is Korean (or code kept as written).

    A general template can fit a site it was not written for ("{owner} got {what}.") and
    leave its English inside a placeholder: that counts as missing, not as translated.
    """
    korean_text = message_sites.korean(site)
    if korean_text is None:
        return False
    code_as_written = korean_text == re.sub(r"\x00\d+\x00", "{}", site.sample())
    return code_as_written or not english_prose_runs(korean_text)


@pytest.fixture(scope="module")
def all_sites():
    return [site for site in message_sites.sites() if needs_translation(site)]


def test_the_reader_finds_the_messages_it_must(all_sites):
    templates = {site.template() for site in all_sites}
    assert "Epoch {stopped_epoch_1}: early stopping" in templates  # a localize() notice
    assert "Found {len_paths} files." in templates
    assert "a non-negative integer (or -1 for all)." in templates  # built with + and if/else
    assert "interactive logging enabled." in templates  # forwarded by a helper of config.py
    assert "files ending in .wav in class subfolders." in templates
    assert "pooling={pooling}." not in templates  # code only: nothing to translate
    assert len(all_sites) > 1000


def test_every_message_template_has_a_korean_form(all_sites):
    pending = _untranslated()
    missing = [
        site for site in all_sites if site.template() not in pending and not translated(site)
    ]
    report = "\n".join(f"{site.where}: {site.template()!r}: '<한국어>'," for site in missing)
    assert not missing, (
        f"{len(missing)} message template(s) without a Korean form; add each to the catalogue "
        f"(src/layerfit/_messages/ko*.py), same placeholders:\n{report}"
    )


def test_the_untranslated_list_only_shrinks(all_sites):
    found = {site.template(): site for site in all_sites}
    stale = sorted(
        template
        for template in _untranslated()
        if template not in found or translated(found[template])
    )
    assert not stale, (
        f"delete these lines from {UNTRANSLATED.name} (translated now, or no longer in the "
        "source):\n" + "\n".join(repr(t) for t in stale)
    )


def test_no_two_catalogue_files_define_the_same_template():
    tables = [ko.BASE, *(area.MESSAGES for area in ko.AREAS)]
    seen: set[str] = set()
    for table in tables:
        twice = seen & set(table)
        assert not twice, f"defined twice: {sorted(twice)}"
        seen |= set(table)
    assert seen == set(ko.MESSAGES)


def test_printed_lines_of_ours_go_through_localize():
    """A print() of our prose must pass through errors.localize; the exceptions say why."""
    # Lines printed in another library's exact format stay as that library prints them.
    keep = {
        "tuners": "KerasTuner's own search and summary lines",
        "utils/_get_file.py": "Keras's 'Downloading data from' line",
        "saving/_export.py": "Keras's 'Saved artifact at' line",
        "callbacks/_callback.py": "a docstring example",
        "callbacks/_lambda.py": "a docstring example",
    }
    unlocalized = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = str(path.relative_to(SOURCE))
        if any(relative.startswith(prefix) for prefix in keep):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "print"
                and node.args
                and isinstance(node.args[0], (ast.JoinedStr, ast.Constant, ast.BinOp))
                and "localize(" not in ast.unparse(node.args[0])
                and has_prose(_literal_text(node.args[0]))
            ):
                unlocalized.append(f"{relative}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not unlocalized, "\n".join(unlocalized)


def _literal_text(node) -> str:
    """The literal text of a string expression, each field as a token that joins its code."""
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "Q" for v in node.values)
    if isinstance(node, ast.Constant):
        return str(node.value)
    return " ".join(_literal_text(child) for child in ast.iter_child_nodes(node))
