"""Why a learn_kernel run left the loop of the text, told from the losses and the kernel it returned.

The judge replays, in float64 and from the same random start, the ways learners really write the
loop (a mean loss, Adam, a bias left on, their own layer, no zero_grad, ...), alone and in small
combinations, and names a deviation only when one replay gives the student's losses and kernel
epoch by epoch. Where no replay does, it says where the run departs from the text's, with numbers.
The judge may also call the student again (a probe) with another seed or learning rate, to tell a
function that ignores them from one that uses them.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import torch

from autograder.i18n import Message, msg
from autograder.judge.show import shape_text
from autograder.units.convolutions import references

DEFAULT_LR = 3e-2
DEFAULT_EPOCHS = 10
DEFAULT_KERNEL_SIZE = (1, 2)
LOSS_RTOL, LOSS_ATOL = 2e-3, 1e-6
KERNEL_RTOL, KERNEL_ATOL = 1e-3, 1e-4
"""Looser than the checks' TOLERANCES: a replay in float64 of a float32 training loop drifts from the
student's run a little more with every epoch, and the same loop must still be recognised."""
UNTRAINED_ATOL = 1e-6
"""An untrained kernel is the drawn start itself, off by no more than a float32 round trip."""
HUGE = 1e30
"""Beyond this a float32 run has overflowed or is about to: such values are compared as 'diverged'."""
COMMON_SEEDS: tuple[int, ...] = (*range(101), 123, 233, 666, 888, 999, 1000, 1024, 1234)
COMMON_SEEDS += (2020, 2021, 2022, 2023, 2024, 2025, 2026, 3407, 12345, 42424, 114514)
"""Seeds learners write into torch.manual_seed: a start found among them names the seed."""


@dataclass(frozen=True)
class Problem:
    """One call of learn_kernel: its arguments, and the seed the caller set before it."""

    X: torch.Tensor
    Y: torch.Tensor
    kernel_size: tuple[int, int]
    lr: float
    num_epochs: int
    seed: int

    @property
    def outputs(self) -> int:
        return self.Y.numel()


@dataclass(frozen=True)
class Run:
    """What a run gave: the losses, one per epoch, and the final kernel (float64, kernel_size)."""

    losses: tuple[float, ...]
    kernel: torch.Tensor


@dataclass(frozen=True)
class Loop:
    """One way to write the loop; the defaults are the text's."""

    start: Literal["nn.Conv2d", "torch.rand", "torch.randn", "fitted"] = "nn.Conv2d"
    """Where the kernel starts: nn.Conv2d, torch.rand or torch.randn under the caller's seed, or fitted."""
    bias: Literal["none", "frozen", "trained"] = "none"
    """none; frozen (nn.Conv2d's default bias, never updated); trained (updated with the weight)."""
    reduction: Literal["sum", "mean"] = "sum"
    step: Literal["sgd", "adam", "adamw", "rmsprop", "adagrad", "none"] = "sgd"
    """sgd (weight -= lr * grad, or torch.optim.SGD), adam, adamw, rmsprop, adagrad, or none."""
    momentum: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0
    ascent: bool = False
    zero_grad: bool = True
    record: Literal["before", "after"] = "before"
    lr: float | None = None
    """A learning rate of its own instead of the caller's."""

    def deviations(self) -> tuple[str, ...]:
        """The named mistakes this loop commits, in the order a person debugs: layer, loss, steps."""
        found = []
        if self.start != "nn.Conv2d":
            found.append("other_initial_kernel")
        if self.bias != "none":
            found.append("bias_left_on")
        if self.reduction == "mean":
            found.append("mean_loss")
        if self.record == "after":
            found.append("loss_after_update")
        if not self.zero_grad:
            found.append("no_zero_grad")
        if self.step == "none":
            found.append("untrained_kernel")
        elif self.step != "sgd" or self.momentum or self.weight_decay:
            found.append("other_optimiser")
        if self.ascent:
            found.append("wrong_update_sign")
        if self.lr is not None:
            found.append("parameter_ignored")
        return tuple(found)

    def optimiser_text(self) -> str:
        """The optimiser as code, for feedback: Adam, SGD(momentum=0.9), ..."""
        if self.step != "sgd":
            return {"adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adagrad": "Adagrad"}.get(self.step, "")
        options = []
        if self.momentum:
            options.append(f"momentum={self.momentum:g}")
        if self.nesterov:
            options.append("nesterov=True")
        if self.weight_decay:
            options.append(f"weight_decay={self.weight_decay:g}")
        return f"SGD({', '.join(options)})"


TEXT_LOOP = Loop()


@dataclass(frozen=True)
class Atom:
    """One change to the text's loop, as a learner makes it."""

    changes: dict[str, Any]
    common: bool = True
    """Tried in combinations too, not only alone."""

    @property
    def axis(self) -> frozenset[str]:
        return frozenset(self.changes)


def _atoms(problem: Problem) -> tuple[Atom, ...]:
    atoms = [
        Atom({"start": "torch.rand"}),
        Atom({"start": "torch.randn"}, common=False),
        Atom({"bias": "frozen"}),
        Atom({"bias": "trained"}),
        Atom({"reduction": "mean"}),
        Atom({"record": "after"}),
        Atom({"zero_grad": False}),
        Atom({"ascent": True}),
        Atom({"step": "adam"}),
        Atom({"step": "adamw"}),
        Atom({"step": "rmsprop"}, common=False),
        Atom({"step": "adagrad"}, common=False),
        Atom({"step": "none"}),
        Atom({"momentum": 0.9}),
        Atom({"momentum": 0.9, "nesterov": True}, common=False),
        *(Atom({"momentum": m}, common=False) for m in (0.5, 0.8, 0.95, 0.99)),
        *(Atom({"weight_decay": d}, common=d == 1e-4) for d in (1e-4, 5e-4, 1e-3, 1e-2, 1e-1)),
    ]
    if not math.isclose(problem.lr, DEFAULT_LR):
        atoms.append(Atom({"lr": DEFAULT_LR}))
    return tuple(atoms)


def _compatible(loop: Loop) -> bool:
    """Loops that are real and differ from one another (a frozen bias exists only on nn.Conv2d)."""
    sgd_only = loop.momentum or loop.weight_decay or loop.ascent
    if loop.step != "sgd" and sgd_only:
        return False
    if loop.bias == "frozen" and loop.start != "nn.Conv2d":
        return False
    return not (loop.step == "none" and (not loop.zero_grad or loop.record == "after" or loop.lr is not None))


def candidate_loops(problem: Problem, size: int) -> Iterator[Loop]:
    """The loops that differ from the text's by `size` changes (only common ones when size > 1)."""
    atoms = [a for a in _atoms(problem) if size == 1 or a.common]
    for group in itertools.combinations(atoms, size):
        axes = [a.axis for a in group]
        if any(a & b for a, b in itertools.combinations(axes, 2)):
            continue
        changes: dict[str, Any] = {}
        for atom in group:
            changes.update(atom.changes)
        loop = replace(TEXT_LOOP, **changes)
        if _compatible(loop):
            yield loop


# ----------------------------------------------------------------------------- replaying a loop


def _design(problem: Problem) -> tuple[torch.Tensor, torch.Tensor] | None:
    """The loop's output as A @ kernel: A holds one column per kernel entry; None if Y has another shape."""
    X = problem.X.detach().to("cpu", torch.float64)
    k_h, k_w = problem.kernel_size
    out_h, out_w = references.valid_shape(X.shape, (k_h, k_w))
    if out_h < 1 or out_w < 1 or tuple(problem.Y.shape) != (out_h, out_w):
        return None
    columns = [X[a : a + out_h, b : b + out_w].reshape(-1) for a in range(k_h) for b in range(k_w)]
    return torch.stack(columns, dim=1), problem.Y.detach().to("cpu", torch.float64).reshape(-1)


def initial(problem: Problem, start: str) -> tuple[torch.Tensor, float]:
    """The kernel and bias a loop starts from, drawn under the caller's seed as the student's code would."""
    kernel, bias = _drawn(problem.seed, tuple(problem.kernel_size), start)
    return kernel.clone(), bias


@functools.lru_cache(maxsize=256)
def _drawn(seed: int, kernel_size: tuple[int, int], start: str) -> tuple[torch.Tensor, float]:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        if start == "nn.Conv2d":
            layer = torch.nn.Conv2d(1, 1, kernel_size, bias=True)
            assert layer.bias is not None
            return layer.weight.detach().reshape(kernel_size).double(), float(layer.bias.detach())
        draw = torch.rand if start == "torch.rand" else torch.randn
        return draw(kernel_size).double(), 0.0


class _Step:
    """One optimiser's update, entry by entry, computed as torch.optim computes it (in float64).

    Written out rather than run through torch.optim: the replays are many and tiny, and an optimiser
    object costs more than the arithmetic. A kit test holds it to torch.optim's own steps.
    """

    def __init__(self, loop: Loop, lr: float) -> None:
        self.loop, self.lr, self.count = loop, lr, 0
        self.first: torch.Tensor | None = None
        self.second: torch.Tensor | None = None

    def __call__(self, theta: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
        loop, lr = self.loop, self.lr
        self.count += 1
        if loop.step == "sgd":
            g = -grad if loop.ascent else grad
            if loop.weight_decay:
                g = g + loop.weight_decay * theta
            if loop.momentum:
                self.first = g.clone() if self.first is None else self.first * loop.momentum + g
                g = g + loop.momentum * self.first if loop.nesterov else self.first
            return theta - lr * g
        if self.first is None or self.second is None:
            self.first, self.second = torch.zeros_like(theta), torch.zeros_like(theta)
        if loop.step == "rmsprop":
            self.second = 0.99 * self.second + 0.01 * grad * grad
            return theta - lr * grad / (self.second.sqrt() + 1e-8)
        if loop.step == "adagrad":
            self.second = self.second + grad * grad
            return theta - lr * grad / (self.second.sqrt() + 1e-10)
        if loop.step == "adamw":
            theta = theta * (1 - lr * 0.01)
        self.first = self.first + 0.1 * (grad - self.first)
        self.second = 0.999 * self.second + 0.001 * grad * grad
        denominator = self.second.sqrt() / math.sqrt(1 - 0.999**self.count) + 1e-8
        return theta - (lr / (1 - 0.9**self.count)) * self.first / denominator


def replay(problem: Problem, loop: Loop, start: torch.Tensor | None = None, bias: float | None = None) -> Run | None:
    """Run `loop` on the problem in float64; `start` and `bias` replace the loop's own draw."""
    design = _design(problem)
    if design is None:
        return None
    A, y = design
    drawn, drawn_bias = initial(problem, "nn.Conv2d" if loop.start == "fitted" else loop.start)
    size = A.shape[1]
    offset = 0.0 if loop.bias == "none" else drawn_bias if bias is None else bias
    theta = torch.cat([(drawn if start is None else start).double().reshape(-1), torch.tensor([offset])])
    trained = torch.ones(size + 1, dtype=torch.float64)
    trained[size] = 1.0 if loop.bias == "trained" else 0.0
    scale = 2.0 / y.numel() if loop.reduction == "mean" else 2.0
    step = _Step(loop, problem.lr if loop.lr is None else loop.lr)
    gathered = torch.zeros(size + 1, dtype=torch.float64)

    def residual(theta: torch.Tensor) -> torch.Tensor:
        return A @ theta[:size] + theta[size] - y

    def loss(r: torch.Tensor) -> float:
        squared = r * r
        return float(squared.mean() if loop.reduction == "mean" else squared.sum())

    losses = []
    for _ in range(problem.num_epochs):
        r = residual(theta)
        if loop.record == "before":
            losses.append(loss(r))
        if loop.step != "none":
            grad = scale * torch.cat([A.T @ r, r.sum().reshape(1)]) * trained
            gathered = gathered + grad if not loop.zero_grad else grad
            theta = theta - trained * (theta - step(theta, gathered))
        if loop.record == "after":
            losses.append(loss(residual(theta)))
    return Run(tuple(losses), theta[:size].reshape(problem.kernel_size))


# ----------------------------------------------------------------------------- comparing runs


def _diverged(value: float) -> bool:
    return not math.isfinite(value) or abs(value) > HUGE


def same_loss(a: float, b: float, scale: float) -> bool:
    if _diverged(a) or _diverged(b):
        return _diverged(a) and _diverged(b)
    return math.isclose(a, b, rel_tol=LOSS_RTOL, abs_tol=LOSS_ATOL * max(1.0, scale))


def same_kernel(a: torch.Tensor, b: torch.Tensor) -> bool:
    if a.shape != b.shape:
        return False
    wild_a, wild_b = ~torch.isfinite(a) | (a.abs() > HUGE), ~torch.isfinite(b) | (b.abs() > HUGE)
    if wild_a.any() or wild_b.any():
        return bool(torch.equal(wild_a, wild_b))
    return bool(torch.allclose(a.double(), b.double(), rtol=KERNEL_RTOL, atol=KERNEL_ATOL))


def departure(student: Run, other: Run) -> int | None:
    """The first epoch (0-based) where the losses differ, or None when every loss agrees."""
    scale = abs(other.losses[0]) if other.losses and math.isfinite(other.losses[0]) else 1.0
    for epoch, (a, b) in enumerate(zip(student.losses, other.losses, strict=False)):
        if not same_loss(a, b, scale):
            return epoch
    return None if len(student.losses) == len(other.losses) else min(len(student.losses), len(other.losses))


def same_run(student: Run, other: Run) -> bool:
    return departure(student, other) is None and same_kernel(student.kernel, other.kernel)


# ----------------------------------------------------------------------------- fitting the start


def fit_start(problem: Problem, loop: Loop, student: Run) -> torch.Tensor | None:
    """The starting kernel from which `loop` ends at the student's kernel, if the loop is affine in it.

    Gradient steps with a squared loss (any reduction, momentum, accumulated gradients) map the start
    to the final kernel by an affine map; replaying from zero and from each unit kernel measures it.
    """
    if loop.step != "sgd" or loop.bias == "frozen":
        return None
    size = problem.kernel_size[0] * problem.kernel_size[1]
    origin = replay(problem, loop, torch.zeros(problem.kernel_size), bias=0.0)
    if origin is None:
        return None
    columns = []
    for i in range(size):
        unit = torch.zeros(size, dtype=torch.float64)
        unit[i] = 1.0
        moved = replay(problem, loop, unit.reshape(problem.kernel_size), bias=0.0)
        assert moved is not None
        columns.append((moved.kernel - origin.kernel).reshape(-1))
    linear = torch.stack(columns, dim=1)
    target = (student.kernel.double() - origin.kernel).reshape(-1, 1)
    if not torch.isfinite(target).all() or torch.linalg.matrix_rank(linear) < size:
        return None
    solution: torch.Tensor = torch.linalg.solve(linear, target)
    return solution.reshape(problem.kernel_size)


FITTED_LOOPS = (
    replace(TEXT_LOOP, start="fitted"),
    replace(TEXT_LOOP, start="fitted", reduction="mean"),
    replace(TEXT_LOOP, start="fitted", bias="trained"),
    replace(TEXT_LOOP, start="fitted", reduction="mean", bias="trained"),
)
"""Loops tried from a start of their own (fitted): the text's, and those of a layer of one's own."""


# ----------------------------------------------------------------------------- the search


@dataclass(frozen=True)
class Match:
    """A loop whose replay gives the student's run."""

    loop: Loop
    run: Run
    start: torch.Tensor | None = None
    """The fitted starting kernel, for a loop that starts where nn.Conv2d does not."""


def matching_loops(problem: Problem, student: Run, max_size: int = 3) -> list[Match]:
    """The simplest loops whose replay is the student's run: all of the fewest changes that fit."""
    for size in range(1, max_size + 1):
        found = []
        for loop in candidate_loops(problem, size):
            run = replay(problem, loop)
            if run is not None and same_run(student, run):
                found.append(Match(loop, run))
        if found:
            return found
    found = []
    for loop in FITTED_LOOPS:
        start = fit_start(problem, loop, student)
        if start is None:
            continue
        run = replay(problem, loop, start, bias=0.0)
        if run is not None and same_run(student, run):
            found.append(Match(loop, run, start))
    return found[:1]


def seed_of(problem: Problem, start: torch.Tensor) -> int | None:
    """A seed among those learners write under which nn.Conv2d draws `start`, if any."""
    for seed in COMMON_SEEDS:
        drawn, _ = initial(replace(problem, seed=seed), "nn.Conv2d")
        if same_kernel(drawn, start):
            return seed
    return None


def fit_lr(problem: Problem, student: Run) -> float | None:
    """A learning rate learners write under which the text's loop gives the student's run, if any."""
    for lr in (0.1, 0.01, 0.001, 0.05, 0.3, 0.5, 1.0, 0.02, 0.003, 0.005, 1e-4):
        run = replay(problem, replace(TEXT_LOOP, lr=lr))
        if run is not None and same_run(student, run):
            return lr
    return None


Probe = Callable[[Problem], Run | None]
"""Call the student's learn_kernel again on another problem; None when it gave no usable answer."""


@dataclass(frozen=True)
class Finding:
    """What the diagnosis says: a named mistake with its evidence, or an observation without a name."""

    mistake: str | None
    params: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Message, ...] = ()
    also: tuple[str, ...] = ()
    """Further mistakes of the same loop, named after the first."""
    summary: Message | None = None
    hint: Message | None = None


RESETS: dict[str, dict[str, Any]] = {
    "other_initial_kernel": {"start": "nn.Conv2d"},
    "bias_left_on": {"bias": "none"},
    "mean_loss": {"reduction": "sum"},
    "loss_after_update": {"record": "before"},
    "no_zero_grad": {"zero_grad": True},
    "untrained_kernel": {"step": "sgd"},
    "other_optimiser": {"step": "sgd", "momentum": 0.0, "nesterov": False, "weight_decay": 0.0},
    "wrong_update_sign": {"ascent": False},
    "parameter_ignored": {"lr": None},
}
"""What undoes each mistake of a loop: the counterfactual its evidence is measured against."""


def number(value: float) -> str:
    return f"{value:.4g}"


def losses_text(losses: tuple[float, ...] | list[float], count: int = 4) -> str:
    shown = ", ".join(number(v) for v in losses[:count])
    return shown + (", ..." if len(losses) > count else "")


def kernel_text(kernel: torch.Tensor) -> str:
    rows = kernel.double().reshape(kernel.shape[0], -1).tolist()
    return "[" + ", ".join("[" + ", ".join(f"{v:.4g}" for v in row) + "]" for row in rows) + "]"


def identical(a: Run, b: Run) -> bool:
    """Bit for bit the same answer: what a function that ignores a changed argument gives."""
    return a.losses == b.losses and a.kernel.shape == b.kernel.shape and bool(torch.equal(a.kernel, b.kernel))


def base_params(problem: Problem) -> dict[str, Any]:
    return {
        "name": "learn_kernel",
        "epochs": problem.num_epochs,
        "kernel_size": shape_text(problem.kernel_size),
        "n": problem.outputs,
        "seed": problem.seed,
    }


def diagnose(problem: Problem, student: Run, probe: Probe | None = None) -> Finding | None:
    """None when the run is the text's loop under the same seed; else what departs, named if it can be."""
    text = replay(problem, TEXT_LOOP)
    if text is None or same_run(student, text):
        return None
    params = base_params(problem)
    start, _ = initial(problem, "nn.Conv2d")
    if not same_kernel(text.kernel, start) and torch.allclose(student.kernel, start, rtol=0.0, atol=UNTRAINED_ATOL):
        evidence = msg("learn.evidence.untrained_kernel", got=losses_text(student.losses), kernel=kernel_text(start))
        return Finding("untrained_kernel", params, (evidence,))
    probes = _Probes(problem, student, probe)
    matches = matching_loops(problem, student)
    if matches and len({m.loop.deviations() for m in matches}) == 1:
        finding = _named(problem, student, text, matches, probes, params)
        if finding is not None:
            return finding
    return _observed(problem, student, text, probes, params, matches)


@dataclass
class _Probes:
    """Calls of the student made at most once each: under another seed, with another learning rate."""

    problem: Problem
    student: Run
    probe: Probe | None
    answers: dict[str, Run | None] = field(default_factory=dict)

    @property
    def other_seed(self) -> int:
        return self.problem.seed + 1

    @property
    def other_lr(self) -> float:
        return self.problem.lr / 2

    def ignores(self, argument: Literal["seed", "lr"]) -> bool:
        """Whether the student gives the very same answer with `argument` changed."""
        if self.probe is None:
            return False
        if argument not in self.answers:
            if argument == "seed":
                changed = replace(self.problem, seed=self.other_seed)
            else:
                changed = replace(self.problem, lr=self.other_lr)
            self.answers[argument] = self.probe(changed)
        answer = self.answers[argument]
        return answer is not None and identical(answer, self.student)


def _named(
    problem: Problem, student: Run, text: Run, matches: list[Match], probes: _Probes, params: dict[str, Any]
) -> Finding | None:
    match = matches[0]
    mistakes = match.loop.deviations()
    evidence: list[Message | None] = []
    params = {**params, "optimiser": " / ".join(dict.fromkeys(m.loop.optimiser_text() for m in matches))}
    if match.start is not None and probes.ignores("seed"):
        found = seed_of(problem, match.start)
        if found is None or mistakes != ("other_initial_kernel",):
            return None
        evidence.append(
            msg(
                "learn.evidence.seeded_inside",
                name=params["name"],
                seed=problem.seed,
                other_seed=probes.other_seed,
                start=kernel_text(match.start),
                found=found,
            )
        )
        mistakes = ("seeded_inside",)
    if "parameter_ignored" in mistakes:
        if not probes.ignores("lr"):
            return None
        params = {**params, "parameter": "lr", "asked": f"{problem.lr:g}", "used": f"{match.loop.lr:g}"}
        evidence.append(_lr_probe(problem, probes, params))
    if mistakes != ("seeded_inside",):
        evidence.extend(_evidence(problem, student, match, mistake, params) for mistake in mistakes)
    evidence.append(
        msg("learn.evidence.match", replay=losses_text(match.run.losses), kernel=kernel_text(match.run.kernel))
    )
    evidence.append(_yours(student))
    return Finding(mistakes[0], params, tuple(e for e in evidence if e is not None), also=mistakes[1:])


def _lr_probe(problem: Problem, probes: _Probes, params: dict[str, Any]) -> Message:
    return msg("learn.evidence.lr_probe", name=params["name"], probe=f"{probes.other_lr:g}", asked=f"{problem.lr:g}")


def _yours(student: Run) -> Message:
    return msg("learn.yours", got=losses_text(student.losses), kernel=kernel_text(student.kernel))


def _counterfactual(problem: Problem, match: Match, mistake: str) -> Run | None:
    loop = replace(match.loop, **RESETS[mistake])
    start = None if mistake == "other_initial_kernel" else match.start
    if loop.start == "fitted" and start is None:
        loop = replace(loop, start="nn.Conv2d")
    return replay(problem, loop, start, bias=0.0 if start is not None else None)


def _evidence(problem: Problem, student: Run, match: Match, mistake: str, params: dict[str, Any]) -> Message | None:
    """The epoch where this mistake first shows, with the loss it gives and the loss without it."""
    without = _counterfactual(problem, match, mistake)
    if without is None:
        return None
    epoch = departure(match.run, without)
    if epoch is None or epoch >= len(student.losses) or epoch >= len(without.losses):
        epoch = 0
    got, other, replayed = student.losses[epoch], without.losses[epoch], match.run.losses[epoch]
    numbers = {"epoch": epoch + 1, "got": number(got), "other": number(other), "replay": number(replayed)}
    if mistake == "mean_loss" and epoch == 0 and math.isclose(other / problem.outputs, got, rel_tol=LOSS_RTOL):
        return msg("learn.evidence.mean_loss_first", got=number(got), other=number(other), n=problem.outputs)
    if mistake == "other_initial_kernel":
        drawn, _ = initial(problem, "nn.Conv2d")
        start = match.start if match.start is not None else initial(problem, match.loop.start)[0]
        source = {"torch.rand": "learn.source.rand", "torch.randn": "learn.source.randn"}.get(
            match.loop.start, "learn.source.fitted"
        )
        return msg(
            "learn.evidence.other_initial_kernel",
            start=kernel_text(start),
            source=msg(source),
            text_start=kernel_text(drawn),
            **numbers,
        )
    if mistake == "bias_left_on":
        bias = 0.0 if match.start is not None or match.loop.start != "nn.Conv2d" else initial(problem, "nn.Conv2d")[1]
        key = "learn.evidence.bias_frozen" if match.loop.bias == "frozen" else "learn.evidence.bias_trained"
        return msg(key, bias=number(bias), **numbers)
    if mistake == "other_optimiser":
        return msg("learn.evidence.other_optimiser", optimiser=params["optimiser"], **numbers)
    if mistake == "parameter_ignored":
        return msg("learn.evidence.lr_used", asked=params["asked"], used=params["used"], **numbers)
    if mistake == "untrained_kernel":
        return msg(
            "learn.evidence.untrained_kernel", got=losses_text(student.losses), kernel=kernel_text(student.kernel)
        )
    return msg(f"learn.evidence.{mistake}", **numbers)


def _observed(
    problem: Problem, student: Run, text: Run, probes: _Probes, params: dict[str, Any], matches: list[Match]
) -> Finding:
    """No single loop we know gives this run: say where it leaves the text's, and what the probes showed."""
    evidence: list[Message] = []
    first_differs = not student.losses or not same_loss(student.losses[0], text.losses[0], abs(text.losses[0]))
    seed_ignored = first_differs and probes.ignores("seed")
    if seed_ignored:
        evidence.append(
            msg("learn.evidence.seed_ignored", name=params["name"], seed=problem.seed, other_seed=probes.other_seed)
        )
    fitted = [m for m in matches if m.start is not None and m.loop == FITTED_LOOPS[0]]
    if fitted and fitted[0].start is not None:
        evidence.append(msg("learn.evidence.start_fitted", start=kernel_text(fitted[0].start)))
    # An unused lr is named only in a loop that otherwise starts as the text's, or whose lr is found:
    # a function that ignores everything (a constant answer) ignores lr too, but that is not its mistake.
    used = fit_lr(problem, student)
    if (used is not None or not first_differs) and probes.ignores("lr"):
        lr_params = {**params, "parameter": "lr", "asked": f"{problem.lr:g}", "used": ""}
        evidence.append(_lr_probe(problem, probes, lr_params))
        if used is not None:
            evidence.append(msg("learn.evidence.lr_found", used=f"{used:g}"))
        evidence.extend((_yours(student), _text_line(text)))
        return Finding("parameter_ignored", lr_params, tuple(evidence))
    evidence.extend((_yours(student), _text_line(text)))
    epoch = departure(student, text)
    name = params["name"]
    if epoch is None:
        summary = msg(
            "learn.kernel_differs", name=name, got=kernel_text(student.kernel), expected=kernel_text(text.kernel)
        )
        return Finding(None, params, tuple(evidence), summary=summary, hint=msg("learn.kernel_differs_hint"))
    if len(student.losses) != len(text.losses):
        count = {"name": name, "got": len(student.losses), "epochs": problem.num_epochs}
        if epoch == 0 and student.losses:
            first = {"first": number(student.losses[0]), "text": number(text.losses[0])}
            summary = msg("learn.count_differs_first", **count, **first)
        else:
            summary = msg("learn.count_differs", **count, same=min(epoch, len(student.losses), len(text.losses)))
        return Finding(None, params, tuple(evidence), summary=summary, hint=msg("learn.count_differs_hint"))
    got, expected = student.losses[epoch], text.losses[epoch]
    if epoch == 0:
        summary = msg("learn.first_differs", name=name, got=number(got), text=number(expected))
        hint = msg("learn.seed_ignored_hint" if seed_ignored else "learn.first_differs_hint")
        return Finding(None, params, tuple(evidence), summary=summary, hint=hint)
    off = abs(got - expected) / abs(expected) if expected and math.isfinite(got) else math.inf
    summary = msg(
        "learn.departs",
        name=name,
        same=epoch,
        epoch=epoch + 1,
        got=number(got),
        text=number(expected),
        off=f"{off:.1%}" if math.isfinite(off) else "∞",
    )
    return Finding(None, params, tuple(evidence), summary=summary, hint=msg("learn.departs_hint"))


def _text_line(text: Run) -> Message:
    return msg("learn.text_run", text=losses_text(text.losses), kernel=kernel_text(text.kernel))


def none_gradient_at(report: dict[str, str]) -> tuple[str, int] | None:
    """Where the update used a gradient that was None, from the report of a call that raised.

    Python's TypeError names NoneType in an arithmetic step on a line of the student's that reads
    `.grad`: the gradient was cleared to None (zero_grad() after backward()) or never computed.
    """
    if report.get("exc_type") != "TypeError" or "NoneType" not in report.get("message", ""):
        return None
    lines = report.get("traceback", "").splitlines()
    if len(lines) < 2 or ".grad" not in lines[-1] or not lines[-2].lstrip().startswith("File "):
        return None
    spot = lines[-2].strip().split('"')
    try:
        return spot[1], int(spot[2].split("line", 1)[1].split(",", 1)[0])
    except (IndexError, ValueError):
        return None
