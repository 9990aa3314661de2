"""The engine and the units apart, and the README's Layout kept in step with the tree."""

from __future__ import annotations

import re
from pathlib import Path

from autograder import units
from autograder.paths import KIT_ROOT, PACKAGE_DIR

UNITS_DIR = PACKAGE_DIR / "units"
ENGINE_SUFFIXES = {".py", ".toml", ".html", ".sh", ".yml", ".j2", ""}


def engine_files() -> list[Path]:
    """Every text file of the engine: the package without the units' own packages."""
    return [
        path
        for path in sorted(PACKAGE_DIR.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix in ENGINE_SUFFIXES
        and not (path.parent != UNITS_DIR and UNITS_DIR in path.parents)
    ]


def unit_words() -> set[str]:
    """What only a unit may name: its name, its exercises and their files."""
    return {word for unit in units.installed().values() for word in (unit.name, *unit.tags, *unit.modules)}


def test_no_engine_file_names_an_exercise_or_a_unit():
    words = re.compile(r"\b(" + "|".join(sorted(map(re.escape, unit_words()))) + r")\b")
    found = [
        f"{path.relative_to(KIT_ROOT)}:{number}: {line.strip()[:100]}"
        for path in engine_files()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1)
        if words.search(line)
    ]
    assert found == [], "the engine names a unit's exercise:\n" + "\n".join(found)


def test_the_grep_sees_the_engine_and_would_see_a_name():
    """The check above reads the engine's modules, catalogues and templates, and its pattern matches."""
    names = {path.relative_to(PACKAGE_DIR).as_posix() for path in engine_files()}
    assert {"grading.py", "judge/plugin.py", "i18n/en.toml", "units/__init__.py"} <= names
    assert not any(name.startswith("units/convolutions/") for name in names)
    assert re.search(r"\b(" + "|".join(unit_words()) + r")\b", "student.corr2d(X, K)")


def layout_block() -> list[str]:
    readme = (KIT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout\n", 1)[1].split("```\n", 2)[1]
    return block.splitlines()


def listed_paths() -> list[Path]:
    """The paths the README's Layout lists: a line's first word, nested under the folder above it
    by its indentation (two spaces a level); continuation lines (no path) are skipped."""
    paths: list[Path] = []
    parents: list[tuple[int, Path]] = []
    for line in layout_block():
        word = line.strip().split(" ", 1)[0]
        indent = len(line) - len(line.lstrip())
        if not word or not re.fullmatch(r"[\w.\-]+/?(\w+/?)*", word) or indent % 2:
            continue
        parents = [(level, path) for level, path in parents if level < indent]
        base = parents[-1][1] if parents else KIT_ROOT
        path = base / word.rstrip("/")
        if word.endswith("/"):
            for part in Path(word.rstrip("/")).parts[:-1]:
                base = base / part
            parents.append((indent, path))
        paths.append(path)
    return paths


def test_every_path_in_the_readme_layout_exists():
    missing = [str(path.relative_to(KIT_ROOT)) for path in listed_paths() if not path.exists()]
    assert missing == [], f"README's Layout lists what the tree does not have: {missing}"


def test_the_readme_layout_lists_every_package_and_unit():
    listed = {path.resolve() for path in listed_paths()}
    packages = [p for p in PACKAGE_DIR.iterdir() if p.is_dir() and (p / "__init__.py").is_file()]
    shipped_units = [p for p in UNITS_DIR.iterdir() if p.is_dir() and (p / "__init__.py").is_file()]
    absent = [str(p.relative_to(KIT_ROOT)) for p in [*packages, *shipped_units] if p.resolve() not in listed]
    assert absent == [], f"README's Layout does not list: {absent}"


def test_the_makefile_regenerates_every_shipped_unit():
    """`make exercises`, `make notebooks` and `make test-oldest` loop over the Makefile's UNITS."""
    line = re.search(r"^UNITS := (.*)$", (KIT_ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert line, "the Makefile has no UNITS line"
    shipped = sorted(p.name for p in UNITS_DIR.iterdir() if p.is_dir() and (p / "__init__.py").is_file())
    assert line.group(1).split() == shipped
