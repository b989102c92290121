"""Every message template of layerfit's source, read with ``ast``, and its Korean form.

tests/test_message_sites.py uses this to make a message without a translation a test failure
that names the template and the line that builds it. Run it as a script to list what is
missing, as catalogue lines to fill in:

    python tests/message_sites.py [src/layerfit/some/folder]

A *site* is a message part the user reads: each argument of ``errors.explain`` / ``errors.warn``
(what, expected, fix), the text of ``errors.localize`` (printed notices), and a string given
straight to one of our error classes. A part's *template* is its English text with every
formatted field (``{units}``, ``{name!r}``) as a placeholder. Parts built from pieces are
followed: string concatenation, ``a if c else b``, ``a or b``, a local variable, a helper of the
same module that returns the text, and a function that only forwards its argument to
``explain`` (its callers become sites). A part that is nothing but a field carries text made
elsewhere; it is not a template and is skipped.
"""

from __future__ import annotations

import ast
import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "layerfit"

# explain(what, expected, fix) and warn(what, expected, fix): the parts, by position and name.
PARTS = ("what", "expected", "fix")
ERROR_CLASSES = re.compile(r"Layerfit\w*(Error|Warning)")
FIELD = object()  # a formatted field inside a template


@dataclass(frozen=True)
class Site:
    """One message template and the line of source that builds it."""

    path: str  # relative to the repository root
    line: int
    pieces: tuple  # literal strings and FIELD markers, with the field's source in names

    names: tuple = ()  # the source of each field, for readable placeholders

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def template(self) -> str:
        """The English template with named placeholders, as a catalogue key is written."""
        out, fields, taken = [], iter(self.names), {}
        for piece in self.pieces:
            if piece is FIELD:
                source = next(fields)
                name = _identifier(source)
                # one name per source: a repeated name would have to hold the same value
                while taken.setdefault(name, source) != source:
                    name += "2"
                out.append("{" + name + "}")
            else:
                out.append(piece.replace("{", "{{").replace("}", "}}"))
        return "".join(out).rstrip()

    def sample(self) -> str:
        """The template with each field as a marker that any placeholder of the catalogue takes."""
        out, fields, numbers = [], iter(self.names), {}
        for piece in self.pieces:
            if piece is FIELD:
                number = numbers.setdefault(next(fields), len(numbers))  # one per source
                out.append(f"\x00{number}\x00")
            else:
                out.append(piece)
        return "".join(out).rstrip()

    def only_fields(self) -> bool:
        return not "".join(p for p in self.pieces if p is not FIELD).strip(" .,:;\n")


def _identifier(source: str) -> str:
    """'len(paths)' -> 'len_paths', 'self.monitor' -> 'monitor': a placeholder name."""
    source = re.sub(r"^self\.", "", source)
    name = re.sub(r"\W+", "_", source).strip("_") or "value"
    return ("v_" + name if name[0].isdigit() else name)[:24]


# -- reading the source --------------------------------------------------------------------------


class _Module:
    """One source file: its functions by name, and the function around each node."""

    def __init__(self, path: Path):
        self.path = path
        self.relative = str(path.relative_to(SOURCE.parents[1]))
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.functions: dict[str, list[ast.FunctionDef]] = {}
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(node.name, []).append(node)

    def enclosing_function(self, node):
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return node
        return None


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_warnings_warn(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "warnings"
    )


def _parameters(function) -> list[str]:
    arguments = function.args
    return [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]


class _Reader:
    """Turns an expression into its possible templates: lists of pieces (text or FIELD)."""

    def __init__(self, module: _Module, forwarded: set):
        self.module = module
        self.forwarded = forwarded  # (function name, parameter) pairs found to carry a part

    def templates(self, node, depth=0) -> list[tuple[list, list[str]]]:
        """[(pieces, field sources)] for ``node``; a field where the text cannot be followed."""
        if depth > 8:
            return [([FIELD], ["value"])]
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return [([node.value], [])]
            return []
        if isinstance(node, ast.JoinedStr):
            results = [([], [])]
            for value in node.values:
                options = self._field(value, depth)
                results = [(p + q, n + m) for p, n in results for q, m in options]
            return results
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = (
                self.templates(node.left, depth + 1),
                self.templates(node.right, depth + 1),
            )
            return [(p + q, n + m) for p, n in left for q, m in right]
        if isinstance(node, ast.IfExp):
            return self.templates(node.body, depth + 1) + self.templates(node.orelse, depth + 1)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            return [t for value in node.values for t in self.templates(value, depth + 1)]
        if isinstance(node, ast.Name):
            return self._name(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        return [([FIELD], [ast.unparse(node)])]

    def _field(self, value, depth):
        if isinstance(value, ast.Constant):
            return [([value.value], [])]
        # {'s' if n > 1 else ''}: each literal choice is a template of its own.
        inner = value.value
        if (
            isinstance(inner, ast.IfExp)
            and value.conversion == -1
            and value.format_spec is None
            and all(isinstance(b, ast.Constant) for b in (inner.body, inner.orelse))
        ):
            return [([str(inner.body.value)], []), ([str(inner.orelse.value)], [])]
        return [([FIELD], [ast.unparse(inner)])]

    def _name(self, node: ast.Name, depth):
        function = self.module.enclosing_function(node)
        if function is None:
            return [([FIELD], [node.id])]
        assigned = []
        for statement in ast.walk(function):
            if isinstance(statement, ast.Assign) and statement.lineno <= node.lineno:
                if any(isinstance(t, ast.Name) and t.id == node.id for t in statement.targets):
                    assigned.extend(self.templates(statement.value, depth + 1))
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                target = statement.target
                if isinstance(target, ast.Name) and target.id == node.id:
                    assigned.extend(self.templates(statement.value, depth + 1))
        if assigned:
            return assigned
        if node.id in _parameters(function) and not isinstance(function, ast.Lambda):
            self.forwarded.add((function.name, node.id))
        return [([FIELD], [node.id])]

    def _call(self, node: ast.Call, depth):
        name = _call_name(node)
        if name in ("strip", "rstrip", "lstrip") and isinstance(node.func, ast.Attribute):
            return self.templates(node.func.value, depth + 1)
        local = self.module.functions.get(name or "")
        if local and name not in ("explain", "warn", "localize"):
            returned = [
                t
                for function in local
                for statement in ast.walk(function)
                if isinstance(statement, ast.Return) and statement.value is not None
                for t in self.templates(statement.value, depth + 1)
            ]
            if returned:
                return returned
        return [([FIELD], [ast.unparse(node)])]


def _modules(root: Path) -> list[_Module]:
    return [
        _Module(path)
        for path in sorted(root.rglob("*.py"))
        if "_messages" not in path.parts and path.name != "errors.py"
    ]


def _part_arguments(call: ast.Call, parameters: dict[str, int]) -> list[ast.AST]:
    """The arguments of ``call`` at the given parameter positions or names."""
    found = []
    for name, index in parameters.items():
        if index < len(call.args) and not isinstance(call.args[index], ast.Starred):
            found.append(call.args[index])
        found.extend(k.value for k in call.keywords if k.arg == name)
    return found


def sites(root: Path = SOURCE) -> list[Site]:
    """Every message template under ``root`` (a folder of src/layerfit), with its line."""
    modules = _modules(SOURCE)
    sinks = {
        "explain": {"what": 0, "expected": 1, "fix": 2},
        "warn": {"what": 0, "expected": 1, "fix": 2},
        "localize": {"text": 0},
    }
    found: dict[tuple, Site] = {}
    forwarded: set = set()
    # Forwarding functions add sinks; read again until no new one turns up.
    for _ in range(4):
        before = len(forwarded)
        for module in modules:
            reader = _Reader(module, forwarded)
            for node in ast.walk(module.tree):
                if not isinstance(node, ast.Call) or _is_warnings_warn(node):
                    continue
                arguments = _arguments_of(node, sinks, reader)
                for argument in arguments:
                    _collect(module, reader, argument, found)
        for function_name, parameter in sorted(forwarded):
            for module in modules:
                for function in module.functions.get(function_name, []):
                    names = _parameters(function)
                    if parameter in names:
                        offset = 1 if names and names[0] in ("self", "cls") else 0
                        sinks.setdefault(function_name, {})[parameter] = (
                            names.index(parameter) - offset
                        )
        if len(forwarded) == before:
            break
    inside = str(root.resolve())
    return sorted(
        (s for s in found.values() if str(SOURCE.parents[1] / s.path).startswith(inside)),
        key=lambda s: (s.path, s.line, s.template()),
    )


def _arguments_of(node: ast.Call, sinks: dict, reader: _Reader) -> list[ast.AST]:
    name = _call_name(node)
    if name in sinks:
        arguments = _part_arguments(node, sinks[name])
        # warn(*self._message(...)): the helper returns the parts as a tuple.
        for argument in node.args:
            if isinstance(argument, ast.Starred) and isinstance(argument.value, ast.Call):
                helper = reader.module.functions.get(_call_name(argument.value) or "", [])
                for function in helper:
                    for statement in ast.walk(function):
                        if isinstance(statement, ast.Return) and isinstance(
                            statement.value, ast.Tuple
                        ):
                            arguments.extend(statement.value.elts)
        return arguments
    if name and ERROR_CLASSES.fullmatch(name) and node.args:
        first = node.args[0]
        if isinstance(first, ast.Call) and _call_name(first) == "explain":
            return []
        return [first]
    return []


def _collect(module: _Module, reader: _Reader, argument, found: dict) -> None:
    for pieces, names in reader.templates(argument):
        merged, merged_names, fields = [], [], iter(names)
        for piece in pieces:  # join neighbouring literals
            if piece is not FIELD and merged and merged[-1] is not FIELD:
                merged[-1] += piece
            else:
                merged.append(piece)
                if piece is FIELD:
                    merged_names.append(next(fields))
        site = Site(module.relative, argument.lineno, tuple(merged), tuple(merged_names))
        if not site.only_fields():
            found.setdefault((site.path, site.sample()), site)


# -- matching a template against the catalogue --------------------------------------------------

_MARK = "\x00\\d+\x00"


def _pattern(template: str) -> re.Pattern:
    """A catalogue template as a regex whose placeholders also take a field marker."""
    from layerfit import _messages

    parts, seen = [], set()
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if field in seen:
            parts.append(f"(?P={field})")
            continue
        seen.add(field)
        body = _messages._BODIES.get(field[:2], ".+?")
        parts.append(f"(?P<{field}>(?:{_MARK}|{body}))")
    return re.compile("".join(parts), re.DOTALL)


_compiled: list = []


def _catalogue():
    if not _compiled:
        from layerfit._messages import _literal, ko

        ordered = sorted(ko.MESSAGES.items(), key=lambda item: -len(_literal(item[0])))
        _compiled.extend((_pattern(en), translated) for en, translated in ordered)
    return _compiled


def korean(site: Site) -> str | None:
    """The Korean text of a site (fields as ``{}``), or None when no catalogue entry fits it."""
    from layerfit import _messages

    sample = site.sample()
    for pattern, translated in _catalogue():
        match = pattern.fullmatch(sample)
        if match is None:
            continue
        values = {}
        for name, value in match.groupdict().items():
            if name.startswith("t_") and "\x00" not in value:
                value = _messages.lookup(value, "ko", fragments=True) or value
            values[name] = value
        return re.sub(_MARK, "{}", translated.format(**values))
    return None


def missing(root: Path = SOURCE) -> list[Site]:
    return [site for site in sites(root) if korean(site) is None]


def main(argv: list[str]) -> int:
    root = Path(argv[0]).resolve() if argv else SOURCE
    absent = missing(root)
    for site in absent:
        print(f"    # {site.where}")
        print(f"    {site.template()!r}: '',")
    print(f"# {len(absent)} of {len(sites(root))} templates under {root} have no Korean form")
    return 1 if absent else 0


if __name__ == "__main__":
    sys.path.insert(0, str(SOURCE.parent))
    raise SystemExit(main(sys.argv[1:]))
