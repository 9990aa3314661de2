"""Where the hidden inputs' seed comes from: the instructor's secret and the submission's own bytes.

A submission that prints the hidden inputs and then hard-codes answers computed elsewhere must get
nothing for it. So the seed is an HMAC of the submission's files under a secret the instructor keeps:
the same files always draw the same inputs (a regrade reproduces the grade), any change to any file
draws new ones, and without the secret no one can tell which inputs a given submission will see.
The secret lives in a file, read only after the zygote has forked and masked from every worker, so
student code can find it neither in its memory, nor in its environment, nor on disk.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path

from autograder.errors import ExitCode, MachineFault

SECRET_FILE_ENV = "AUTOGRADER_SECRET_FILE"
SECRET_BYTES = 32


class SecretUnavailable(MachineFault):
    """The instructor's secret cannot be read; the message says what to do. The user names the file
    (or may name another), so the command ends as for bad usage."""

    exit_code = ExitCode.USAGE


def submission_digest(files: dict[str, bytes]) -> str:
    """A fingerprint of every file the submission ships, names included."""
    digest = hashlib.sha256()
    for name in sorted(files):
        encoded = name.encode("utf-8", errors="surrogateescape")
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        digest.update(len(files[name]).to_bytes(8, "big") + files[name])
    return digest.hexdigest()


def inputs_seed(secret: bytes, digest: str) -> int:
    """The seed of one submission's hidden inputs: 63 bits of HMAC-SHA256(secret, digest)."""
    mac = hmac.new(secret, digest.encode("ascii"), hashlib.sha256).digest()
    return int.from_bytes(mac[:8], "big") >> 1


def default_secret_file() -> Path:
    """A secret per user, for an instructor who set none: kept beside the user's other settings."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "conv-autograder" / "secret"


def secret_path(given: Path | None) -> Path:
    """Where the secret is: the file given, else $AUTOGRADER_SECRET_FILE, else the user's own."""
    if given is not None:
        return given
    if os.environ.get(SECRET_FILE_ENV):
        return Path(os.environ[SECRET_FILE_ENV])
    return default_secret_file()


def check_secret_file(path: Path) -> None:
    """Make sure the secret file is there, without its bytes ever entering this process (whose memory
    grade-batch's judges, and so their workers, inherit): the user's own is created by a child."""
    if path == default_secret_file() and not path.exists():
        child = os.fork()
        if child == 0:
            status = 1
            try:
                load_secret(path)
                status = 0
            finally:
                os._exit(status)
        os.waitpid(child, 0)
    if not path.is_file() or not os.access(path, os.R_OK):
        raise SecretUnavailable(
            f"cannot read the secret file {path}; give a readable file with --secret-file or ${SECRET_FILE_ENV}"
        )


def load_secret(path: Path) -> bytes:
    """The secret in `path`; the user's own file is created (readable by its owner only) the first time.

    Call it only after the zygote has forked: a worker must never find the secret in its memory.
    """
    if path == default_secret_file() and not path.exists() and _create(path):
        print(
            f"autograder: created the secret that seeds the hidden inputs: {path} "
            "(keep it, and copy it to every machine that grades this course)",
            file=sys.stderr,
        )
    try:
        data = path.read_bytes().strip()
    except OSError as exc:
        raise SecretUnavailable(
            f"cannot read the secret file {path} ({exc.strerror}); give a readable file with --secret-file "
            f"or ${SECRET_FILE_ENV}"
        ) from None
    if len(data) < 16:
        raise SecretUnavailable(f"the secret in {path} is too short: use at least 16 random characters")
    return data


def _create(path: Path) -> bool:
    """Write a new random secret, whole or not at all; False when another grader process has just
    done it (grade-batch's judges may all start at once)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        return False
    finally:
        draft.unlink()
    return True
