"""The map of the code: domain packages depend one way, in the order that
docs/architecture.md writes on its line starting with "Order (bottom-up):".

An import inside a function counts; one under `if TYPE_CHECKING:` does not (type hints
only). Infrastructure (jobfair/api and the modules directly in jobfair/) is not a
domain: the API base must import no domain at all."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "jobfair"
INFRASTRUCTURE = {"api", "jobs", "messages"}  # packages that know no domain

# Upward imports left in packages that are being cleaned elsewhere: (importer, imported).
# Empty this list as they are removed; the test below fails for an entry that is gone.
NOT_YET_CLEAN: set[tuple[str, str]] = set()


def package_order() -> list[str]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    line = re.search(r"^Order \(bottom-up\):(.*)$", text, re.MULTILINE)
    assert line, "docs/architecture.md has lost its 'Order (bottom-up):' line"
    return re.findall(r"[a-z_]+", line.group(1))


def packages() -> list[str]:
    return sorted(folder.name for folder in PACKAGE.iterdir()
                  if (folder / "__init__.py").exists())


def _type_hint_only(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                skipped.update(id(child) for child in ast.walk(inner))
    return skipped


def _imported_modules(path: Path, root: Path = ROOT):
    """(dotted module, line) of every import in the file that runs."""
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = _type_hint_only(tree)
    own = path.relative_to(root).with_suffix("").parts
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the file's own package upwards
                base = own[:-node.level]
                yield ".".join((*base, *(node.module or "").split("."))).rstrip("."), node.lineno
            else:
                yield node.module or "", node.lineno


def dependencies() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) package → where ("jobfair/x/y.py:12")."""
    found: dict[tuple[str, str], list[str]] = {}
    names = set(packages())
    for package in names:
        for path in sorted((PACKAGE / package).rglob("*.py")):
            for module, line in _imported_modules(path):
                parts = module.split(".")
                if len(parts) > 1 and parts[0] == "jobfair" and parts[1] in names \
                        and parts[1] != package:
                    where = f"{path.relative_to(ROOT)}:{line}"
                    found.setdefault((package, parts[1]), []).append(where)
    return found


def test_every_domain_package_has_its_place_in_the_order():
    order = package_order()
    assert len(order) == len(set(order))
    missing = set(packages()) - set(order) - INFRASTRUCTURE
    assert not missing, f"place {sorted(missing)} in the order of docs/architecture.md"


def test_lower_packages_never_import_higher_ones():
    order = package_order()
    rank = {name: index for index, name in enumerate(order)}
    upward = {
        edge: where for edge, where in dependencies().items()
        if edge[0] in rank and edge[1] in rank and rank[edge[0]] < rank[edge[1]]
        and edge not in NOT_YET_CLEAN
    }
    assert not upward, "imports against the order: " + "; ".join(
        f"{low} → {high} at {', '.join(where)}" for (low, high), where in sorted(upward.items()))


def test_no_import_cycle_between_packages():
    graph: dict[str, set[str]] = {}
    for importer, imported in dependencies():
        if (importer, imported) not in NOT_YET_CLEAN:
            graph.setdefault(importer, set()).add(imported)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for following in graph.get(start, ()):
            if following == goal or (following not in seen
                                     and reaches(following, goal, seen | {following})):
                return True
        return False

    cyclic = sorted(name for name in graph if reaches(name, name, {name}))
    assert not cyclic, f"packages on an import cycle: {cyclic}"


def test_infrastructure_knows_no_domain():
    domains = set(packages()) - INFRASTRUCTURE
    wrong = {edge: where for edge, where in dependencies().items()
             if edge[0] in INFRASTRUCTURE and edge[1] in domains}
    assert not wrong, f"the API base imports a domain: {wrong}"


def test_the_upward_imports_left_are_still_there():
    # When one of these is removed, take it off NOT_YET_CLEAN so it cannot come back.
    gone = NOT_YET_CLEAN - set(dependencies())
    assert not gone, f"remove {sorted(gone)} from NOT_YET_CLEAN"


def test_the_check_sees_imports_inside_functions_but_not_type_hints(tmp_path):
    sample = tmp_path / "jobfair" / "events" / "sample.py"
    sample.parent.mkdir(parents=True)
    sample.write_text("from typing import TYPE_CHECKING\n"
                      "if TYPE_CHECKING:\n    from jobfair.targets.models import Target\n"
                      "def late():\n    from jobfair.hiring import services\n"
                      "from ..checkin import models\n")
    modules = {module for module, _line in _imported_modules(sample, tmp_path)}
    assert modules == {"typing", "jobfair.hiring", "jobfair.checkin"}
