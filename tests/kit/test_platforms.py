"""The Gradescope zip on Gradescope's base images: setup.sh and run_autograder inside Ubuntu 22.04 and
24.04 roots, grading a correct submission (full marks) and the stubs (0).

Slow (a root is bootstrapped once and cached; setup.sh may build CPython): run by `make
test-platforms`, which CI runs after `make test`; skipped elsewhere unless AUTOGRADER_PLATFORM_TESTS
is set. Where a local CPU wheel of torch lies in pip's find-links (as on a machine without PyTorch's
index), setup.sh is pointed at it through its own settings: TORCH_INDEX, TORCH_SPEC and
PIP_FIND_LINKS; the wheel's Python version is then the one setup.sh must provide.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from autograder.bundles import gradescope
from autograder.paths import KIT_ROOT
from autograder.units.convolutions import UNIT
from tests.kit import ubuntu_roots
from tests.kit.test_end_to_end import validate_gradescope

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("AUTOGRADER_PLATFORM_TESTS"), reason="slow: run with `make test-platforms`"),
]

TORCH_VERSION = gradescope.DEFAULT_TORCH.split("==")[1]
WHEEL = re.compile(rf"torch-{re.escape(TORCH_VERSION)}\+cpu-cp3(\d+)-cp3\d+-manylinux[^/]*_x86_64\.whl")
SUBMISSIONS = {"correct": UNIT.solutions, "stubs": KIT_ROOT / "exercises"}


def _find_links() -> list[Path]:
    links = os.environ.get("PIP_FIND_LINKS", "").split()
    if not links:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "config", "get", "global.find-links"],
            capture_output=True,
            text=True,
            check=False,
        )
        links = result.stdout.split()
    return [Path(link.removeprefix("file://")) for link in links if Path(link.removeprefix("file://")).is_dir()]


def local_torch_wheel() -> tuple[Path, str] | None:
    """A CPU wheel of the pinned torch in pip's find-links, and the Python version it is for."""
    for folder in _find_links():
        for path in sorted(folder.iterdir()):
            if match := WHEEL.fullmatch(path.name):
                return path, f"3.{match.group(1)}"
    return None


def setup_settings() -> dict[str, str]:
    """setup.sh's settings: Gradescope's defaults, or the local wheel where there is one ("wheel" is
    the file to copy into the root's /wheels, not a setting)."""
    found = local_torch_wheel()
    if found is None:
        return {}
    wheel, python = found
    return {
        "wheel": str(wheel),
        "PIP_FIND_LINKS": "/wheels",
        "TORCH_INDEX": "https://pypi.org/simple",
        "TORCH_SPEC": f"torch=={TORCH_VERSION}+cpu",
        "PYTHON_VERSIONS": python,
    }


def unpack(zip_path: Path, source: Path) -> None:
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(source)
        for info in archive.infolist():
            os.chmod(source / info.filename, info.external_attr >> 16 & 0o777)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return gradescope.build(
        UNIT, "en", tmp_path_factory.mktemp("dist") / gradescope.ZIP_NAME, b"the platform tests' own secret"
    )


def set_up(release: ubuntu_roots.Release, zip_path: Path, root: Path) -> Path:
    """`root`: the release with setup.sh run in it, as Gradescope builds its image.

    Like Gradescope, which runs setup.sh once per autograder upload, the image is kept (under the
    roots' cache) for as long as setup.sh and its settings stay the same; the grader itself is
    unpacked anew every time.
    """
    with zipfile.ZipFile(zip_path) as archive:
        script = archive.read("setup.sh")
    settings = setup_settings()
    key = hashlib.sha256(script + json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    cached = ubuntu_roots.CACHE / f"ubuntu-{release.version}-setup-{key}"
    started = time.monotonic()
    if cached.is_dir():
        ubuntu_roots.copy_tree(cached, root)
        print(
            f"\nubuntu-{release.version}: image of an earlier run of this setup.sh ({key}) copied in "
            f"{time.monotonic() - started:.0f} s"
        )
    else:
        ubuntu_roots.copy(release, root)
        copied = time.monotonic()
        wheels = settings.pop("wheel", None)
        if wheels:
            (root / "wheels").mkdir()
            shutil.copy(wheels, root / "wheels")
        unpack(zip_path, root / "autograder" / "source")
        result = ubuntu_roots.run(root, ["bash", "/autograder/source/setup.sh"], settings, timeout=3000)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        print(
            f"\nubuntu-{release.version}: root copied in {copied - started:.0f} s, "
            f"setup.sh {time.monotonic() - copied:.0f} s; "
            + " | ".join(line for line in result.stdout.splitlines() if line.startswith("setup.sh:"))
        )
        for stale in ubuntu_roots.CACHE.glob(f"ubuntu-{release.version}-setup-*"):
            shutil.rmtree(stale)  # an image of an earlier setup.sh: about 2 GB each
        ubuntu_roots.copy_tree(root, cached)
    shutil.rmtree(root / "autograder" / "source", ignore_errors=True)
    unpack(zip_path, root / "autograder" / "source")
    return root


@pytest.fixture(scope="module", params=ubuntu_roots.RELEASES, ids=lambda r: f"ubuntu-{r.version}")
def image(request, built, tmp_path_factory) -> Path:
    if reason := ubuntu_roots.missing_tools():
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    release = request.param
    return set_up(release, built, tmp_path_factory.mktemp("roots") / release.codename)


def run_autograder(root: Path, submission: Path) -> tuple[subprocess.CompletedProcess[str], dict | None]:
    target = root / "autograder" / "submission"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in submission.glob("ex*.py"):
        shutil.copy(path, target / path.name)
    started = time.monotonic()
    result = ubuntu_roots.run(root, ["/autograder/source/run_autograder"], {}, timeout=600)
    print(f"run_autograder on {submission.name}: {time.monotonic() - started:.1f} s, exit {result.returncode}")
    results = root / "autograder" / "results" / "results.json"
    return result, json.loads(results.read_text(encoding="utf-8")) if results.exists() else None


def test_setup_installs_a_cpu_torch_on_a_final_python(image):
    probe = "import sys, torch; print(sys.version_info[:3], sys.version_info.releaselevel, torch.__version__)"
    result = ubuntu_roots.run(image, ["/autograder/venv/bin/python", "-c", probe], {}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "final" in result.stdout
    assert "+cpu" in result.stdout
    nvidia = list((image / "autograder" / "venv").glob("lib/python3*/site-packages/nvidia*"))
    assert nvidia == [], "the CUDA build's nvidia wheels were installed"


def test_setup_takes_the_image_s_own_python_where_it_is_a_final_release(image):
    if not (image / "usr/bin/python3.12").exists():
        pytest.skip("the image has no python3.12")
    result = ubuntu_roots.run(image, ["bash", "/autograder/source/setup.sh", "--find-python"], {}, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Python: /usr/bin/python3.12 (Python 3.12" in result.stdout


def test_setup_refuses_a_release_candidate(image):
    """Ubuntu 22.04's apt python3.11 is 3.11.0rc1, which torch cannot run on."""
    install = ubuntu_roots.run(image, ["apt-get", "install", "-y", "python3.11"], {}, timeout=600)
    if "Unable to locate package" in install.stderr:
        pytest.skip("this release has no python3.11 package")
    assert install.returncode == 0, install.stderr
    version = ubuntu_roots.run(image, ["python3.11", "-VV"], {}, timeout=60).stdout
    if "rc" not in version:
        pytest.skip(f"apt's python3.11 here is {version.strip()}")
    command = ["bash", "/autograder/source/setup.sh", "--find-python"]
    result = ubuntu_roots.run(image, command, {"PYTHON": "/usr/bin/python3.11"}, timeout=600)
    assert result.returncode != 0
    assert "is not a final release of Python" in result.stderr


def test_a_correct_submission_gets_full_marks(image):
    result, results = run_autograder(image, SUBMISSIONS["correct"])
    assert result.returncode == 0, result.stdout[-3000:]
    assert results is not None
    validate_gradescope(results)
    assert results["score"] == results["extra_data"]["max_score"] > 0
    assert all(t["status"] == "passed" for t in results["tests"])


def test_the_stubs_get_0(image):
    result, results = run_autograder(image, SUBMISSIONS["stubs"])
    assert result.returncode == 0, result.stdout[-3000:]
    assert results is not None
    assert results["score"] == 0
    assert results["extra_data"]["max_score"] > 0


def test_a_broken_grader_is_an_autograder_failure_with_its_cause(image):
    """torch removed from the image: no results.json (Gradescope shows a failure), the cause logged."""
    site = next((image / "autograder" / "venv").glob("lib/python3*/site-packages"))
    (site / "torch").rename(site / "torch.away")
    try:
        result, results = run_autograder(image, SUBMISSIONS["correct"])
    finally:
        (site / "torch.away").rename(site / "torch")
    assert result.returncode != 0
    assert results is None
    assert "AUTOGRADER FAILURE" in result.stdout
    assert "torch" in result.stdout
