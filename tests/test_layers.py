"""The package's layers, read from its import graph (every import: top-level, inside functions, under
TYPE_CHECKING). Core stages (kb/*.py) read, check and render; kb/site meets MkDocs and the built site;
kb/exchange writes translators' and commands' changes back into the sources; kb/dev is benchmarks.
cli.py is the one module that imports them all."""

from __future__ import annotations

import ast
from pathlib import Path

KB = Path(__file__).resolve().parent.parent / "scripts" / "kb"
TOP = "cli"  # the commands: may import every layer


def module_name(path: Path) -> str:
    parts = path.relative_to(KB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """kb module -> the kb modules it imports (a package's import of a submodule counts as the submodule)."""
    modules = {module_name(p): p for p in KB.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name == "kb" or a.name.startswith("kb.")}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                elif node.module and (node.module == "kb" or node.module.startswith("kb.")):
                    target = node.module
                else:
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if sub in modules else target)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in ("site", "exchange", "dev"):
        return parts[1]
    if len(parts) == 2 and parts[1] in ("site", "exchange", "dev"):
        return parts[1]
    return "cli" if module == f"kb.{TOP}" else "core"


ALLOWED = {
    "core": {"core"},
    "site": {"core", "site"},
    "exchange": {"core", "exchange"},
    "dev": {"core", "site", "exchange", "dev"},
    "cli": {"core", "site", "exchange", "cli"},
}


def test_each_layer_imports_only_the_layers_below_it():
    wrong = sorted(
        f"{module} ({layer(module)}) imports {target} ({layer(target)})"
        for module, targets in imports().items()
        for target in targets
        if layer(target) not in ALLOWED[layer(module)]
    )
    assert not wrong, "\n".join(wrong)


def test_no_module_of_kb_imports_itself_back_through_others():
    graph = imports()
    # Tarjan's strongly connected components: any with more than one module is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not cycles, cycles


def test_the_graph_is_read_at_all():
    """The two tests above pass on an empty graph: this one would not."""
    graph = imports()
    assert "kb.site.hook" in graph["kb.site.parallel"] or "kb.render" in graph["kb.site.hook"]
    assert "kb.exchange.yaml_edit" in graph["kb.exchange.sync"]


def test_make_lint_fails_on_an_upward_import_before_any_other_test_runs(tmp_path):
    """`make lint` (which `make test` runs first) runs these tests: a core module that imports the
    hook, even inside a function, fails it with the import named."""
    import shutil
    import subprocess
    import sys

    root = KB.parent.parent
    copy = tmp_path / "guide"
    copy.mkdir()
    for rel in ("Makefile", "pyproject.toml"):
        shutil.copy2(root / rel, copy / rel)
    (copy / "tests").mkdir()
    this = Path(__file__).read_text(encoding="utf-8")  # without this test, which would run make lint again
    (copy / "tests" / "test_layers.py").write_text(this[: this.index("\n\n\ndef test_make_lint_")] + "\n", encoding="utf-8")
    shutil.copytree(KB, copy / "scripts" / "kb", ignore=shutil.ignore_patterns("__pycache__"))
    render = copy / "scripts" / "kb" / "render.py"
    render.write_text(
        render.read_text(encoding="utf-8") + "\n\ndef _upward():\n    from .site import hook\n\n    return hook\n", encoding="utf-8"
    )
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(["make", "lint", f"BIN={bin_dir}", "-o", "setup"], cwd=copy, capture_output=True, text=True)
    assert result.returncode != 0
    assert "kb.render (core) imports kb.site.hook (site)" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
