"""Ubuntu roots made with debootstrap, standing in for Gradescope's base images.

Each release is bootstrapped once into a cache outside the repository (AUTOGRADER_ROOTS, else
~/.cache/conv-autograder/roots) with what Gradescope's images have that matters here (python3,
curl, CA certificates, apt with the -updates and -security pockets); a test works in a copy, so every
run starts from the same image. Commands run in the copy through `unshare` and `chroot`, with /proc,
/sys and /dev mounted in a mount namespace of their own, so nothing stays mounted when they end.
Needs root, debootstrap and Ubuntu's archive.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ARCHIVE = "http://archive.ubuntu.com/ubuntu"
KEYRING_DEB = "pool/main/u/ubuntu-keyring/ubuntu-keyring_2023.11.28.1_all.deb"
KEYRING_SHA256 = "36de43b15853ccae0028e9a767613770c704833f82586f28eb262f0311adb8a8"
DEBOOTSTRAP_SCRIPT = "/usr/share/debootstrap/scripts/jammy"
"""Every Ubuntu release bootstraps the same way; older debootstraps have no script named noble."""
PACKAGES = "python3,ca-certificates,curl"
CACHE = Path(os.environ.get("AUTOGRADER_ROOTS") or Path.home() / ".cache" / "conv-autograder" / "roots")
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
HOST_CERTIFICATES = Path("/etc/ssl/certs/ca-certificates.crt")
ROOT_CERTIFICATES = "/etc/ssl/host-certificates.crt"
"""The host's CA bundle, copied into a root: where HTTPS goes through a proxy with its own CA, the
root trusts what the host trusts. Outside the files apt manages, so no package replaces it."""


@dataclass(frozen=True)
class Release:
    version: str
    codename: str


RELEASES = (Release("22.04", "jammy"), Release("24.04", "noble"))


def missing_tools() -> str | None:
    """Why roots cannot be made here, or None."""
    if os.geteuid() != 0:
        return "making an Ubuntu root needs root"
    for tool in ("debootstrap", "unshare", "chroot"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make test-platforms installs debootstrap)"
    return None


def _keyring() -> Path:
    """Ubuntu's archive key, from Ubuntu's own package (pinned by digest)."""
    target = CACHE / "ubuntu-archive-keyring.gpg"
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        deb = CACHE / "ubuntu-keyring.deb"
        with urllib.request.urlopen(f"{ARCHIVE}/{KEYRING_DEB}", timeout=60) as response:
            data = response.read()
        if hashlib.sha256(data).hexdigest() != KEYRING_SHA256:
            raise RuntimeError(f"{KEYRING_DEB} does not have the expected digest")
        deb.write_bytes(data)
        unpacked = CACHE / "ubuntu-keyring"
        subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
        shutil.copy(unpacked / "usr/share/keyrings/ubuntu-archive-keyring.gpg", target)
    return target


def base(release: Release) -> Path:
    """The cached pristine root of `release`, bootstrapped on first use (minutes)."""
    root = CACHE / f"ubuntu-{release.version}"
    if (root / "etc" / "os-release").exists():
        return root
    partial = CACHE / f"ubuntu-{release.version}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    subprocess.run(
        [
            "debootstrap",
            "--variant=minbase",
            f"--include={PACKAGES}",
            "--components=main,universe",
            f"--keyring={_keyring()}",
            release.codename,
            str(partial),
            ARCHIVE,
            DEBOOTSTRAP_SCRIPT,
        ],
        check=True,
        capture_output=True,
    )
    partial.rename(root)
    return root


def copy_tree(source: Path, target: Path) -> None:
    """A copy of a root, owners, modes and links kept; in place only once complete."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    subprocess.run(["cp", "-a", str(source), str(partial)], check=True)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)


def copy(release: Release, target: Path) -> Path:
    """A fresh copy of the release's root at `target`, with apt's usual pockets and the host's DNS."""
    copy_tree(base(release), target)
    pockets = " ".join(f"{release.codename}{suffix}" for suffix in ("", "-updates", "-security"))
    sources = "".join(f"deb {ARCHIVE} {pocket} main universe\n" for pocket in pockets.split())
    (target / "etc/apt/sources.list").write_text(sources)
    shutil.copy("/etc/resolv.conf", target / "etc/resolv.conf")
    if HOST_CERTIFICATES.exists():
        shutil.copy(HOST_CERTIFICATES, target / ROOT_CERTIFICATES.lstrip("/"))
    return target


def run(root: Path, command: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """`command` inside `root`, as root, with only `env` in its environment (and PATH, HOME, LANG, and
    the host's CA bundle where it was copied in)."""
    script = (
        'mount -t proc proc "$1/proc" && mount -t sysfs sys "$1/sys" && mount --rbind /dev "$1/dev" && '
        'root="$1" && shift && exec chroot "$root" "$@"'
    )
    environment = {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8"}
    if (root / ROOT_CERTIFICATES.lstrip("/")).exists():
        for variable in ("CURL_CA_BUNDLE", "PIP_CERT", "SSL_CERT_FILE"):
            environment[variable] = ROOT_CERTIFICATES
    environment.update(env)
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, "sh", str(root), *command],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
