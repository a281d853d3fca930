"""Import fences between the layers, checked by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "stemcell_cli"

# layer -> project layers and third-party packages it may import
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "model": (set(), {"msgspec"}),
    "names": (set(), set()),
    "errors": (set(), {"msgspec"}),
    "loading": ({"model", "errors", "loading", "__init__", "names"}, {"yaml", "msgspec"}),
    # A saved page read into text, and the claims and citations found in it with their spans: text in, spans out.
    "pages": ({"model", "errors", "pages", "names"}, {"msgspec"}),
    "evidence": ({"model", "errors", "evidence", "names", "pages"}, {"msgspec"}),
    "render": ({"model", "errors", "evidence", "render", "names"}, {"rich", "msgspec"}),
    "cli": ({"model", "errors", "evidence", "render", "loading", "cli", "__init__", "names", "api"}, {"typer"}),
    # The Python API sits beside the CLI: it loads and computes, and never imports the CLI or rich.
    "api": ({"model", "errors", "evidence", "loading", "pages"}, {"msgspec"}),
}
STDLIB_OK = {"__future__"}


def _layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if _layer(p) in ALLOWED)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_what_its_layer_may(path: Path) -> None:
    import sys

    project, third_party = ALLOWED[_layer(path)]
    for name in _imports(path):
        top = name.split(".")[0]
        if top == "stemcell_cli":
            inner = name.split(".")[1] if "." in name else "__init__"
            assert inner in project | {_layer(path)}, f"{path.name} imports {name}"
        elif top not in sys.stdlib_module_names and top not in STDLIB_OK:
            assert top in third_party, f"{path.name} imports {name}"


def test_the_cli_gets_every_result_from_the_api() -> None:
    # As sqlite-utils' CLI calls its Database: the domain modules that compute results are reached through
    # stemcell_cli.api, and the CLI takes only the result types and the completion look-ups from evidence/.
    for path in (PACKAGE / "cli").glob("*.py"):
        evidence = {name for name in _imports(path) if name.startswith("stemcell_cli.evidence")}
        assert evidence <= {"stemcell_cli.evidence.results", "stemcell_cli.evidence.lookup"}, path.name


def test_nothing_imports_the_cli_except_the_entry_points() -> None:
    for path in PACKAGE.rglob("*.py"):
        if _layer(path) in {"cli", "__main__"}:
            continue
        assert not any(n.startswith("stemcell_cli.cli") for n in _imports(path)), path.name


def test_only_render_imports_rich_and_only_loading_imports_yaml() -> None:
    for path in PACKAGE.rglob("*.py"):
        tops = {n.split(".")[0] for n in _imports(path)}
        if "rich" in tops:
            assert _layer(path) == "render", path.name
        if "yaml" in tops:
            assert _layer(path) == "loading", path.name
        assert "click" not in tops, path.name


FRAMEWORKS = {"typer", "rich", "click"}


def _private_framework_names(path: Path) -> list[str]:
    """Return each private name of typer or rich that a module imports, reaches by attribute or passes as keyword."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    uses_framework = any(name.split(".")[0] in FRAMEWORKS for name in _imports(path))

    def private(dotted: str) -> bool:
        parts = dotted.split(".")
        return parts[0] in FRAMEWORKS and any(part.startswith("_") for part in parts[1:])

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if private(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [f"{node.module}.{alias.name}" for alias in node.names
                      if private(f"{node.module}.{alias.name}")]
        elif isinstance(node, ast.Attribute):
            chain = [node.attr]
            value: ast.expr = node.value
            while isinstance(value, ast.Attribute):
                chain.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name):
                dotted = ".".join([value.id, *reversed(chain)])
                if private(dotted):
                    found.append(dotted)
        elif isinstance(node, ast.Call) and uses_framework:
            # A private parameter, such as rich's Console(_environ=...), is as private as a private name.
            found += [f"{ast.unparse(node.func)}({kw.arg}=)" for kw in node.keywords
                      if kw.arg is not None and kw.arg.startswith("_")]
    return found


ALL_MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_uses_a_private_name_of_typer_or_rich(path: Path) -> None:
    assert _private_framework_names(path) == []


def test_the_private_name_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import typer._coercion\nfrom typer import _param_types\nfrom typer.main import get_command\n"
                      "from rich._loop import loop_last\nimport typer\ntyper.main._get_rich_console()\n"
                      "typer.core.TyperOption\nConsole(width=80, _environ={})\n", encoding="utf-8")
    assert sorted(_private_framework_names(sample)) == ["Console(_environ=)", "rich._loop.loop_last", "typer._coercion",
                                                        "typer._param_types", "typer.main._get_rich_console"]


def test_typer_is_pinned_to_the_minor_version_the_tests_run_on() -> None:
    # The CLI overrides typer's own methods (process_value, get_params, resolve_command, main, invoke,
    # shell_complete), which typer may change in any minor release without notice: the dependency admits only
    # the minor version installed here, which these tests exercise.
    import re
    from importlib.metadata import version

    text = (PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    [(low, high)] = re.findall(r'^    "typer>=(\d+\.\d+),<(\d+\.\d+)",', text, flags=re.MULTILINE)
    major, minor = (int(part) for part in low.split("."))
    assert high == f"{major}.{minor + 1}"
    assert version("typer").split(".")[:2] == [str(major), str(minor)]


def test_the_result_union_holds_every_command_result_and_nothing_else() -> None:
    from typing import get_args, get_type_hints

    from stemcell_cli.errors import ValidationReport
    from stemcell_cli.evidence import results
    from stemcell_cli.render import output

    declared = {value for name, value in vars(results).items() if isinstance(value, type) and name.endswith("Result")}
    # `cite`'s references take a path of their own, as validate's report does: their formats are reference
    # managers' (BibTeX, RIS, CSL-JSON), not the records' views.
    assert set(get_args(results.Result)) == declared - {results.CiteResult}
    assert ValidationReport not in declared
    # The renderers name their result types for the type checker only, so that validate never imports them.
    from stemcell_cli.model import Provenance

    imported_for_typing = {"Result": results.Result, "ValidationReport": ValidationReport, "Provenance": Provenance}
    assert get_type_hints(output.deliver, localns=imported_for_typing)["result"] == results.Result
    assert get_type_hints(output.deliver_report, localns=imported_for_typing)["found"] is ValidationReport
    # Every view has a case for every result: none refuses one at run time, and none is registered apart.
    for path in (PACKAGE / "render").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "singledispatch" not in text, path.name
        assert "TypeError" not in text, path.name


def test_validation_and_schema_output_take_their_own_path() -> None:
    text = (PACKAGE / "cli" / "data_commands.py").read_text(encoding="utf-8")
    called = {ast.unparse(node.func) for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Call)}
    assert {"deliver_report", "deliver_schema"} <= called
    assert "deliver" not in called


FORMAT_ENUMS = {"OutputFormat", "ReportFormat", "CiteFormat"}


def _format_decisions(tree: ast.AST) -> list[int]:
    """Return the lines that compare, match or look up a format's members."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.match_case):
            operands = [n for n in ast.walk(node.pattern) if isinstance(n, ast.expr)]
        elif isinstance(node, ast.Dict):
            operands = [key for key in node.keys if key is not None]
        else:
            continue
        if any(_member_class(operand) in FORMAT_ENUMS for operand in operands):
            lines.append(node.lineno if isinstance(node, ast.expr) else node.pattern.lineno)
    return sorted(lines)


def test_every_format_decision_lives_in_the_formats_module() -> None:
    # Which format a command writes, and what each format means for where and how it is written, is decided in
    # render/__init__.py; elsewhere a format is only passed on.
    found = {str(path.relative_to(PACKAGE)): _format_decisions(ast.parse(path.read_text(encoding="utf-8")))
             for path in ALL_MODULES}
    assert {name for name, lines in found.items() if lines} == {"render/__init__.py"}
    sample = ast.parse("a = fmt is OutputFormat.JSON\nb = {'.csv': OutputFormat.CSV}\nc = {ReportFormat.TEXT: 1}\n"
                       "match fmt:\n    case OutputFormat.TSV:\n        pass\nd = ColorMode.AUTO is mode\n")
    assert _format_decisions(sample) == [1, 3, 5]


def test_output_policy_lives_in_render_only() -> None:
    # Commands hand a result to render.output.deliver; none writes to a stream or a file itself.
    for path in (PACKAGE / "cli").glob("*_commands.py"):
        text = path.read_text(encoding="utf-8")
        for name in ("sys.stdout", "write_file", "write_stdout"):
            assert name not in text, (path.name, name)


# Top-level names no module of the package uses, kept on purpose.
UNUSED_ON_PURPOSE = {
    "__all__",  # read by `from stemcell_cli.api import *` and by documentation tools
    "beta_cdf", "chi2_cdf",  # each distribution's own function, checked against scipy beside the tails in use
}


def test_every_top_level_name_is_used_in_the_package() -> None:
    import re
    from collections import Counter

    texts = [path.read_text(encoding="utf-8") for path in ALL_MODULES]
    mentions = Counter(word for text in texts for word in re.findall(r"\w+", text))
    unused = []
    for path, text in zip(ALL_MODULES, texts, strict=True):
        for node in ast.parse(text).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [target.id for target in node.targets if isinstance(target, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            else:
                continue
            # The definition is one mention; a name that is used has at least one more.
            unused += [f"{path.name}: {name}" for name in names if name not in UNUSED_ON_PURPOSE
                       and mentions[name] < 2]
    assert unused == []


def test_every_estimator_is_one_the_program_fits() -> None:
    from stemcell_cli.evidence.results import Method, RandomMethod

    # The common effect by inverse variance, and the random-effects estimators --method offers.
    assert set(Method) == {Method.FE, *(Method(choice.value) for choice in RandomMethod)}


# Modules of the verdict engine written before lookup.distinct; each still holds its own copy, to be replaced by it.
DISTINCT_COPIES_LEFT: set[str] = set()


def _studies_once_by_id(tree: ast.AST) -> list[int]:
    """Return the lines that keep studies once by id by hand (`{s.id: s ...}.values()`, `dict.fromkeys(s.id ...)`)."""
    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr == "values" and isinstance(node.value, ast.DictComp)
                and isinstance(node.value.key, ast.Attribute) and node.value.key.attr == "id"
                and ast.dump(node.value.key.value) == ast.dump(node.value.value)):
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and ast.unparse(node.func) == "dict.fromkeys" and node.args
              and isinstance(node.args[0], ast.GeneratorExp) and isinstance(node.args[0].elt, ast.Attribute)
              and node.args[0].elt.attr == "id"):
            owner = node.args[0].elt.value
            if (isinstance(owner, ast.Attribute) and owner.attr == "study") or (
                    isinstance(owner, ast.Name) and owner.id in {"s", "study"}):
                lines.append(node.lineno)
    return sorted(lines)


def test_studies_are_kept_once_by_id_through_the_one_helper() -> None:
    found = {path.name: _studies_once_by_id(ast.parse(path.read_text(encoding="utf-8"))) for path in ALL_MODULES}
    assert {name for name, lines in found.items() if lines} - DISTINCT_COPIES_LEFT == {"lookup.py"}
    assert len(found["lookup.py"]) == 1
    sample = ast.parse("a = {s.id: s for s in x}.values()\nb = dict.fromkeys(i.study.id for i in y)\n"
                       "c = {s.id: s for s in x}\nd = dict.fromkeys(c.id for c in conditions)\n")
    assert _studies_once_by_id(sample) == [1, 2]


def test_a_condition_name_is_resolved_in_one_function() -> None:
    # The loader narrows to a condition (from a parse or from the cache) and the commands find it: all by the one
    # resolution, so that a name that narrows the data also finds its condition. The list of every name is read for
    # the did-you-mean only.
    readers = set()
    for path in ALL_MODULES:
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(function, ast.FunctionDef) and any(
                    isinstance(node, ast.Attribute) and node.attr == "all_names" for node in ast.walk(function)):
                readers.add(f"{path.stem}.{function.name}")
    # `check` reads the names too, to count them in a page's text (it resolves no name a user typed).
    assert readers == {"names.condition_called", "lookup.condition_names", "check_result.detect_condition"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Return each module's imports of other modules of the package, those inside functions included."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names if alias.name in modules}
            elif isinstance(node, ast.ImportFrom) and node.module in modules and node.level == 0:
                # `from package import module` imports that module; `from module import name`, the module.
                found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                          for a in node.names}
        graph[name] = found - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return every group of modules that import each other, directly or through others (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            members = []
            while not members or members[-1] != module:
                members.append(stack.pop())
            if len(members) > 1:
                found.append(sorted(members))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return found


def test_no_modules_of_the_package_import_each_other() -> None:
    # A lazy import inside a function counts: it hides a cycle from start-up but not from the reader.
    assert _cycles(_import_graph({_module_name(path): path for path in ALL_MODULES})) == []


def test_the_cycle_check_finds_a_cycle_through_a_lazy_import(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("def run():\n    from b import go\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("import a\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("import a\n", encoding="utf-8")
    graph = _import_graph({name: tmp_path / f"{name}.py" for name in "abc"})
    assert graph == {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert _cycles(graph) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


# Modules of the verdict engine whose look-up tables by enum member are not matches yet.
ENUM_TABLES_LEFT: set[str] = set()


def _member_class(node: ast.expr) -> str | None:
    """Return the class of an enum member written `Class.MEMBER`, else None."""
    if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id[:1].isupper()
            and node.attr.isupper()):
        return node.value.id
    return None


def _unchecked_switches(tree: ast.AST) -> list[str]:
    """Return each switch mypy cannot prove complete: a match not ending in assert_never, ifs or a table."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Match):
            last = node.cases[-1]
            closing = last.body[0] if len(last.body) == 1 else None
            if not (isinstance(last.pattern, ast.MatchAs) and last.pattern.pattern is None and last.guard is None
                    and isinstance(closing, ast.Expr) and isinstance(closing.value, ast.Call)
                    and ast.unparse(closing.value) == f"assert_never({ast.unparse(node.subject)})"):
                found.append(f"{node.lineno}: a match that does not end in assert_never")
        elif isinstance(node, ast.FunctionDef):
            # Ifs of one function (elif or not) that test one value against two members of an enum are a switch.
            compared: dict[tuple[str, str], set[str]] = {}
            for test in (n.test for n in ast.walk(node) if isinstance(n, ast.If)):
                if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq)):
                    kind = _member_class(test.comparators[0])
                    if kind is not None:
                        compared.setdefault((ast.unparse(test.left), kind), set()).add(ast.unparse(test.comparators[0]))
            if any(len(members) > 1 for members in compared.values()):
                found.append(f"{node.lineno}: ifs over the members of an enum in {node.name}()")
        elif isinstance(node, ast.Dict) and len(node.keys) > 1:
            kinds = {_member_class(key) if key is not None else None for key in node.keys}
            if len(kinds) == 1 and None not in kinds:
                found.append(f"{node.lineno}: a table keyed by the members of an enum")
    return found


def test_every_switch_over_an_enum_or_a_union_is_a_match_ending_in_assert_never() -> None:
    # mypy proves such a match complete, so a new format, result or member without its case fails the type check
    # instead of falling through to another branch or a KeyError at run time.
    found = {path.name: _unchecked_switches(ast.parse(path.read_text(encoding="utf-8"))) for path in ALL_MODULES}
    assert {name: lines for name, lines in found.items() if lines and name not in ENUM_TABLES_LEFT} == {}


def test_the_switch_check_finds_what_it_looks_for() -> None:
    sample = ast.parse("match fmt:\n    case Format.A:\n        pass\n    case _:\n        pass\n"
                       "def show(fmt):\n    if fmt is Format.A:\n        return 1\n    if fmt is Format.B:\n"
                       "        return 2\n"
                       "NAMES = {Verdict.YES: 'yes', Verdict.NO: 'no'}\n"
                       "match fmt:\n    case Format.A:\n        pass\n    case _:\n        assert_never(fmt)\n"
                       "def one(fmt):\n    if fmt is Format.A:\n        return 1\n"
                       "OTHER = {'a': Verdict.YES, 'b': Verdict.NO}\n")
    assert _unchecked_switches(sample) == ["1: a match that does not end in assert_never",
                                           "6: ifs over the members of an enum in show()",
                                           "11: a table keyed by the members of an enum"]


# Class names defined twice in the package, each pair in a different layer. Estimate: a study's estimate as the source
# prints it (model) and the estimate an outcome row is graded on (evidence/grades.py).
SAME_CLASS_NAME_ON_PURPOSE = {"Estimate"}


def _class_names() -> dict[str, list[str]]:
    """Return each class name of the package with the modules that define a class of that name."""
    found: dict[str, list[str]] = {}
    for path in ALL_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                found.setdefault(node.name, []).append(str(path.relative_to(PACKAGE)))
    return found


def test_no_class_name_is_one_pytest_would_collect() -> None:
    # pytest collects every class whose name starts with Test from a test module's namespace, and a record imported
    # into a test module under such a name stops the collection of that module.
    assert [name for name in _class_names() if name.startswith("Test")] == []


def test_a_class_name_means_one_thing_in_the_package() -> None:
    repeated = {name: places for name, places in _class_names().items() if len(places) > 1}
    assert set(repeated) == SAME_CLASS_NAME_ON_PURPOSE, repeated


def test_no_two_modules_of_a_folder_differ_by_a_plural_only() -> None:
    for folder in {path.parent for path in ALL_MODULES}:
        stems = {path.stem for path in folder.glob("*.py")}
        assert {stem for stem in stems if f"{stem}s" in stems} == set(), folder.name


def test_the_api_builds_results_in_modules_named_for_them() -> None:
    # Beside the records (results) and the look-ups (lookup), what the API calls builds a command's result.
    builders = {name for name in _import_graph({_module_name(path): path for path in ALL_MODULES})["stemcell_cli.api"]
                if name.startswith("stemcell_cli.evidence.")} - {"stemcell_cli.evidence.results",
                                                                  "stemcell_cli.evidence.lookup"}
    assert builders
    assert all(name.rsplit(".", 1)[1].endswith(("_result", "_results")) for name in builders), builders


TESTS = PACKAGE.parents[1] / "tests"
# One folder of pure tests per package of the program: a test there calls that package's functions, reading its
# fixtures through the loader if it needs data, and never runs the command line.
PURE_TEST_FOLDERS = {"evidence", "loading", "render"}
# What runs the program as a user does: the app (directly or through the tests' walk over its commands), the API,
# a runner of the app, or a process.
RUNNERS = {"run", "run_other", "run_process", "piped", "CliRunner", "app_commands", "subprocess"}


def _test_imports(path: Path) -> tuple[set[str], set[str]]:
    """Return the program's layers a test module imports, and the runners it uses."""
    layers: set[str] = set()
    runners: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""] if node.level == 0 else []
            runners |= {alias.name for alias in node.names} & RUNNERS
            runners |= {(node.module or "").split(".")[-1]} & RUNNERS
        else:
            continue
        for module in modules:
            parts = module.split(".")
            runners |= {parts[0]} & RUNNERS
            if parts[0] == "stemcell_cli":
                layers.add(parts[1] if len(parts) > 1 else "__init__")
    if layers & {"cli", "api", "__main__"}:
        runners.add("the app")
    return layers, runners


def _home(layers: set[str]) -> set[str]:
    """Return the packages a test exercises: those it imports, beside the model and the loader of its fixtures."""
    exercised = layers - {"model", "errors", "names", "__init__"}
    return exercised - {"loading"} or exercised


def test_pure_tests_live_in_the_folder_of_the_package_they_test() -> None:
    for path in sorted(TESTS.rglob("test_*.py")):
        layers, runners = _test_imports(path)
        folder = path.parent.name
        where = str(path.relative_to(TESTS))
        if folder in PURE_TEST_FOLDERS:
            assert not runners, f"{where} runs the program ({sorted(runners)}): it belongs in tests/"
            assert folder in layers, f"{where} does not import stemcell_cli.{folder}"
            assert layers <= ALLOWED[folder][0] | {folder, "loading"}, f"{where} imports {sorted(layers)}"
        elif path.parent == TESTS and not runners and len(_home(layers)) == 1:
            assert not _home(layers) & PURE_TEST_FOLDERS, f"{where} belongs in tests/{_home(layers).pop()}/"


def test_the_test_layout_check_tells_a_pure_test_from_one_that_runs_the_program(tmp_path: Path) -> None:
    pure = tmp_path / "pure.py"
    pure.write_text("from stemcell_cli.evidence import pooling\nfrom stemcell_cli.loading import load\n"
                    "from ..conftest import SHIPPED\n", encoding="utf-8")
    running = tmp_path / "running.py"
    running.write_text("from stemcell_cli.evidence import pooling\n\ndef test():\n    from .conftest import run\n",
                       encoding="utf-8")
    assert _test_imports(pure) == ({"evidence", "loading"}, set())
    assert _home(_test_imports(pure)[0]) == {"evidence"}
    assert _test_imports(running) == ({"evidence"}, {"run"})
    assert _home({"loading", "model"}) == {"loading"}


def test_the_app_s_commands_are_walked_and_sampled_in_one_helper() -> None:
    # tests/app_commands.py walks the app and holds the sample arguments; the tests and the benchmark ask it.
    walkers = []
    for path in sorted([*TESTS.rglob("*.py"), *(TESTS.parent / "benchmarks").glob("*.py")]):
        if path.name in {"app_commands.py", "test_architecture.py"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"get_command", "commands", "registered_commands"}:
                walkers.append(f"{path.name}:{node.lineno}")
            elif isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and "SAMPLE" in target.id
                                                      for target in node.targets):
                walkers.append(f"{path.name}:{node.lineno} (a table of samples)")
    assert walkers == []
