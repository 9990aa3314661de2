"""Does a mutant really make the mistake the grader named? One verifier per mistake, by running it.

Each verifier checks the claim of the mistake's text in the catalogue on random inputs where the
claim can be told apart from correct code (a flipped kernel only where flip(K) != K), and needs at
least one such input on which the mutant answered. It never calls the grader's diagnosis code.
A mistake without a verifier here is reported as unverified, never as right.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch

from autograder.units.convolutions import references
from autograder.units.convolutions.mutants import loops
from autograder.units.convolutions.mutants.oracle import CORRELATIONS, Verdict, seeded
from autograder.units.convolutions.mutants.probes import Attempt, Case, attempt, cases_for, close, is_tensor
from autograder.units.convolutions.mutants.subjects import LAYER_BIAS, Subject

Verifier = Callable[[Subject, Subject, dict[str, Any]], Verdict]
"""(mutant, reference, the parameters the grader gave the mistake) -> verdict."""

LOSS_RTOL, LOSS_ATOL = 1e-3, 1e-6
"""Losses of two runs of one training loop: looser than the checks' TOLERANCES because a loss is
recorded after several float32 updates, each of which rounds in its own order."""


def _ndim(subject: Subject) -> int:
    return CORRELATIONS.get(subject.tag, 2)


def _cases(subject: Subject, keep: Callable[[Case], bool] = lambda case: True) -> list[Case]:
    return [case for case in cases_for(_ndim(subject), count=14, seed=90) if keep(case)]


def _claim_on_outputs(
    subject: Subject,
    reference: Subject,
    claim: Callable[[Case, torch.Tensor, torch.Tensor], bool],
    keep: Callable[[Case], bool],
    what: str,
) -> Verdict:
    """The claim holds for every output the mutant returned on the inputs `keep` selects."""
    mine, theirs = subject.correlation(), reference.correlation()
    answered = 0
    for case in _cases(subject, keep):
        got = attempt(mine, case.X.clone(), case.K.clone())
        if not got.ok or not is_tensor(got.value):
            continue
        answered += 1
        expected = theirs(case.X.clone(), case.K.clone())
        if not claim(case, got.value.detach(), expected):
            shape, valid = tuple(got.value.shape), tuple(expected.shape)
            values = "the right values" if close(got.value, expected, case.X.dtype) else "other values"
            seen = f"shape {shape}" + (f" with {values}" if shape == valid else f" (valid: {valid})")
            return Verdict(False, f"not {what}: X {tuple(case.X.shape)}, K {tuple(case.K.shape)} gave {seen}")
    if answered == 0:
        return Verdict(False, f"no input on which to see {what}: the mutant answered none")
    return Verdict(True, f"{what} on all {answered} inputs it answered")


def _shape_claim(shape_of: Callable[[Case], tuple[int, ...]], what: str, keep: Callable[[Case], bool]) -> Verifier:
    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        return _claim_on_outputs(
            subject, reference, lambda case, got, expected: tuple(got.shape) == shape_of(case), keep, what
        )

    return verify


def _all_valid_at_least(size: int) -> Callable[[Case], bool]:
    return lambda case: min(case.valid) >= size


def _non_square(case: Case) -> bool:
    return len(set(case.K.shape)) > 1 and min(references.valid_shape(case.X.shape, tuple(reversed(case.K.shape)))) >= 1


def _value_claim(
    transform: Callable[[Case, torch.Tensor], torch.Tensor], what: str, keep: Callable[[Case], bool]
) -> Verifier:
    """The output equals `transform(case, reference output)`."""

    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        return _claim_on_outputs(
            subject,
            reference,
            lambda case, got, expected: close(got, transform(case, expected), case.X.dtype),
            keep,
            what,
        )

    return verify


def _ones_reference(case: Case) -> torch.Tensor:
    """The valid correlation with a kernel of ones: the plain sum of each window."""
    ndim = case.X.dim()
    conv = {1: torch.nn.functional.conv1d, 2: torch.nn.functional.conv2d, 3: torch.nn.functional.conv3d}[ndim]
    ones = torch.ones_like(case.K, dtype=torch.float64)
    return conv(case.X.double()[None, None], ones[None, None])[0, 0]


def _flip_all(K: torch.Tensor) -> torch.Tensor:
    return K.flip(tuple(range(K.dim())))


def _with_kernel(subject_kernel: Callable[[torch.Tensor], torch.Tensor]) -> Verifier:
    """The output equals the reference computed with a changed kernel."""

    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        theirs = reference.correlation()

        def keep(case: Case) -> bool:
            changed = subject_kernel(case.K)
            return changed.shape == case.K.shape and not torch.equal(changed, case.K)

        return _claim_on_outputs(
            subject,
            reference,
            lambda case, got, expected: close(got, theirs(case.X, subject_kernel(case.K)), case.X.dtype),
            keep,
            "the reference with the kernel changed",
        )

    return verify


def _transposed(case: Case, expected: torch.Tensor) -> torch.Tensor:
    return expected.permute(*reversed(range(expected.dim())))


def _last_missing(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    """The reference with the last entries along dimension `dim` set to zero."""
    dim = int(params.get("dim", 0))

    def zeroed(case: Case, expected: torch.Tensor) -> torch.Tensor:
        out = expected.clone()
        out.narrow(dim, out.shape[dim] - 1, 1).zero_()
        return out

    def keep(case: Case) -> bool:
        return dim < len(case.valid) and case.valid[dim] >= 2

    return _claim_on_outputs(
        subject,
        reference,
        lambda case, got, expected: close(got, zeroed(case, expected), case.X.dtype),
        keep,
        f"the last entries along dimension {dim} left at zero",
    )


def _square_only(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    mine, theirs = subject.correlation(), reference.correlation()
    square_right, other_wrong = 0, 0
    for case in _cases(subject):
        got = attempt(mine, case.X.clone(), case.K.clone())
        right = got.ok and is_tensor(got.value) and close(got.value, theirs(case.X, case.K), case.X.dtype)
        if len(set(case.K.shape)) == 1:
            if not right:
                return Verdict(False, f"wrong also for the square kernel {tuple(case.K.shape)}")
            square_right += 1
        elif not right:
            other_wrong += 1
    if square_right and other_wrong:
        return Verdict(True, f"right for {square_right} square kernels, wrong for {other_wrong} others")
    return Verdict(False, "right for every non-square kernel" if square_right else "no square kernel tried")


def _output_kind(test: Callable[[Any], bool], what: str) -> Verifier:
    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        mine = subject.correlation()
        for case in _cases(subject):
            got = attempt(mine, case.X.clone(), case.K.clone())
            if got.ok and test(got.value):
                return Verdict(True, f"{what} for X {tuple(case.X.shape)}, K {tuple(case.K.shape)}")
        return Verdict(False, f"never {what}")

    return verify


def _fixed_dtype(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    mine = subject.correlation()
    for case in _cases(subject):
        got = attempt(mine, case.X.clone(), case.K.clone())
        if got.ok and is_tensor(got.value) and got.value.dtype != case.X.dtype:
            return Verdict(True, f"{got.value.dtype} for {case.X.dtype} inputs")
    return Verdict(False, "the output always has the input's dtype")


def _meta_run(subject: Subject, default_meta: bool) -> Attempt:
    """The exercise on meta inputs, optionally with `meta` as the default device of new tensors."""
    case = cases_for(_ndim(subject), count=3, seed=5)[2]

    def run() -> Any:
        if subject.tag == "Conv2D":
            return subject.build_layer(tuple(case.K.shape)).to("meta")(case.X.to("meta"))
        return subject.function()(case.X.to("meta"), case.K.to("meta"))

    if not default_meta:
        return attempt(run)
    with torch.device("meta"):
        return attempt(run)


def _on_meta(result: Attempt) -> bool:
    return result.ok and is_tensor(result.value) and result.value.device.type == "meta"


def _fixed_device(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    """Fails on (or leaves) the meta device, and works once new tensors default to the meta device:
    something is made on the default device instead of the input's."""
    plain, defaulted = _meta_run(subject, False), _meta_run(subject, True)
    if _on_meta(plain):
        return Verdict(False, "follows the meta device")
    if not _on_meta(defaulted):
        return Verdict(False, "fails on the meta device even when new tensors default to it")
    return Verdict(True, "works on meta only when new tensors default to the meta device")


def _data_dependent(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    if _on_meta(_meta_run(subject, True)):
        return Verdict(False, "works on the meta device once new tensors default to it")
    mine = subject.correlation()
    case = cases_for(_ndim(subject), count=3, seed=5)[2]
    if not attempt(mine, case.X, case.K).ok:
        return Verdict(False, "fails on the CPU too")
    return Verdict(True, "works on the CPU, fails on the meta device whatever the default device")


def _grads(subject: Subject, case: Case) -> dict[str, Any] | None:
    """Which inputs get a gradient (name -> grad or None); None when the call itself fails."""
    if subject.tag == "Conv2D":
        layer = attempt(subject.layer_with, case.K, torch.tensor([LAYER_BIAS], dtype=case.X.dtype))
        if not layer.ok:
            return None
        x = case.X.clone().requires_grad_(True)
        out = attempt(layer.value, x)
        tensors = {"self.weight": layer.value.weight, "self.bias": layer.value.bias, "x": x}
    else:
        names = ("x", "k") if subject.tag == "corr1d" else ("X", "K")
        tensors = {name: t.clone().requires_grad_(True) for name, t in zip(names, (case.X, case.K), strict=True)}
        out = attempt(subject.function(), *tensors.values())
    if not out.ok or not is_tensor(out.value):
        return None
    if out.value.requires_grad and not attempt(out.value.sum().backward).ok:
        return None
    return {name: tensor.grad for name, tensor in tensors.items()}


def _no_gradient(source_pattern: str | None) -> Verifier:
    """No gradient reaches one of the inputs the grader named; and, for a named call, the code makes it."""

    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        if source_pattern is not None and not re.search(source_pattern, subject.source):
            return Verdict(False, f"the code has no {source_pattern.replace(chr(92), '')}")
        named = [n.strip() for n in str(params.get("input", "")).split(",") if n.strip()]
        for case in _cases(subject)[:6]:
            grads = _grads(subject, case)
            if grads is None:
                continue
            missing = [name for name, grad in grads.items() if grad is None and (not named or name in named)]
            if missing:
                return Verdict(True, f"no gradient reaches {', '.join(missing)}")
        return Verdict(False, "every input named gets a gradient")

    return verify


def _input_modified(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    mine = subject.correlation()
    for case in _cases(subject):
        X, K = case.X.clone(), case.K.clone()
        if attempt(mine, X, K).ok and not (torch.equal(X, case.X) and torch.equal(K, case.K)):
            changed = [n for n, a, b in (("X", X, case.X), ("K", K, case.K)) if not torch.equal(a, b)]
            return Verdict(True, f"changed {', '.join(changed)}")
    return Verdict(False, "the inputs are the same after every call")


def _nan_or_inf(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    return _output_kind(lambda v: is_tensor(v) and not bool(torch.isfinite(v).all()), "non-finite values")(
        subject, reference, params
    )


def _uninitialised(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    """With fresh memory filled with NaN, NaN shows in the output: entries were never written."""
    originals = (torch.empty, torch.empty_like)

    def poisoned(factory: Callable[..., torch.Tensor]) -> Callable[..., torch.Tensor]:
        return lambda *args, **kwargs: factory(*args, **kwargs).fill_(float("nan"))

    torch.empty, torch.empty_like = poisoned(torch.empty), poisoned(torch.empty_like)
    try:
        return _output_kind(lambda v: is_tensor(v) and bool(torch.isnan(v).any()), "entries never written")(
            subject, reference, params
        )
    finally:
        torch.empty, torch.empty_like = originals


def _too_slow(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    X, K = torch.randn(32, 32), torch.randn(3, 3)
    got = attempt(subject.correlation(), X, K, seconds=3.0)
    if got.ok:
        return Verdict(False, "finished within 3 s on 32x32")
    return Verdict(type(got.error).__name__ == "TooSlow", f"{type(got.error).__name__}: {got.error}")


_CONV_CALL = r"\b(conv[123]d|Conv[123]d|unfold)\b"


def _torch_conv(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    found = re.search(_CONV_CALL, subject.source)
    return Verdict(
        found is not None, f"the code calls {found.group(1)}" if found else "no torch convolution in the code"
    )


def _one_dimension_off(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    """The shape misses n - k + 1 along dimension `dim` only: by one on some input, and never along
    another dimension (a k taken from the wrong dimension fits the explanation too)."""
    dim = int(params.get("dim", 0))
    by_one = 0

    def claim(case: Case, got: torch.Tensor, expected: torch.Tensor) -> bool:
        nonlocal by_one
        shape, valid = tuple(got.shape), case.valid
        if len(shape) != len(valid) or any(shape[d] != valid[d] for d in range(len(valid)) if d != dim):
            return False
        by_one += abs(shape[dim] - valid[dim]) == 1
        return True

    verdict = _claim_on_outputs(subject, reference, claim, lambda case: True, f"off along dimension {dim} only")
    if verdict.holds and not by_one:
        return Verdict(False, f"never exactly one off along dimension {dim}")
    return verdict


def _source_claim(pattern: str, then: Verifier | None = None) -> Verifier:
    """The code contains `pattern` (and, with `then`, that verifier agrees too)."""

    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        try:
            filled = pattern.format(**{k: re.escape(str(v)) for k, v in params.items()})
        except KeyError as missing:
            return Verdict(False, f"the grader gave no {missing}")
        found = re.search(filled, subject.source)
        if found is None:
            return Verdict(False, f"the code has no {pattern}")
        if then is None:
            return Verdict(True, f"the code has {found.group(0)}")
        return then(subject, reference, params)

    return verify


def _raises_with(*words: str) -> Verifier:
    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        mine = subject.correlation()
        for case in _cases(subject)[:4]:
            got = attempt(mine, case.X.clone(), case.K.clone())
            if not got.ok and all(w in str(got.error) for w in words):
                return Verdict(True, f"raised {type(got.error).__name__}: {str(got.error)[:60]}")
        return Verdict(False, f"never raised an error that mentions {', '.join(words)}")

    return verify


def _raises_any(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    mine = subject.correlation()
    for case in _cases(subject)[:4]:
        got = attempt(mine, case.X.clone(), case.K.clone())
        if not got.ok:
            return Verdict(True, f"raised {type(got.error).__name__}")
    return Verdict(False, "never raised")


def _bias_twice(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    right = reference.modules["ex1_corr2d"].corr2d
    seen = 0
    for case, bias, out in _forward_cases(subject):
        seen += 1
        if not close(out, right(case.X, case.K) + 2 * bias, case.X.dtype):
            return Verdict(False, f"the output is not corr2d + 2 * bias for x {tuple(case.X.shape)}")
    return Verdict(seen > 0, f"corr2d + 2 * bias on {seen} inputs")


# ------------------------------------------------------------------------------------- the layer

KERNEL_SIZES = ((1, 2), (3, 2), (2, 3))


def _layers(subject: Subject) -> Iterator[tuple[tuple[int, int], Any]]:
    for size in KERNEL_SIZES:
        built = attempt(subject.build_layer, size)
        if built.ok:
            yield size, built.value


def _layer_claim(claim: Callable[[tuple[int, int], Any], str | None], what: str) -> Verifier:
    """`claim(size, layer)` says what shows the mistake on some layer, or None."""

    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        for size, layer in _layers(subject):
            found = claim(size, layer)
            if found:
                return Verdict(True, f"Conv2D{size}: {found}")
        return Verdict(False, f"no layer {what}")

    return verify


def _not_parameter(attr: str) -> Callable[[tuple[int, int], Any], str | None]:
    def claim(size: tuple[int, int], layer: Any) -> str | None:
        value = getattr(layer, attr, None)
        if value is None:
            return None
        registered = dict(layer.named_parameters()) if isinstance(layer, torch.nn.Module) else {}
        if not isinstance(value, torch.nn.Parameter) or attr not in registered:
            return f"{attr} is a {type(value).__name__}, not a registered parameter"
        return None

    return claim


def _wrong_shape(attr: str) -> Callable[[tuple[int, int], Any], str | None]:
    def claim(size: tuple[int, int], layer: Any) -> str | None:
        value = getattr(layer, attr, None)
        expected = size if attr == "weight" else (1,)
        if is_tensor(value) and tuple(value.shape) != tuple(expected):
            return f"{attr} has shape {tuple(value.shape)}"
        return None

    return claim


def _init_off(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    for seed in range(4):
        built = attempt(subject.build_layer, (3, 4), seed=seed)
        if not built.ok:
            continue
        weight, bias = getattr(built.value, "weight", None), getattr(built.value, "bias", None)
        if not (is_tensor(weight) and is_tensor(bias)):
            continue
        w = weight.detach().double()
        if not bool(((w >= 0) & (w < 1)).all()) or float(w.std()) == 0 or not bool((bias == 0).all()):
            return Verdict(True, f"seed {seed}: weight in [{float(w.min()):.3g}, {float(w.max()):.3g}]")
    return Verdict(False, "weight uniform in [0, 1) and bias zero under every seed tried")


def _forward_cases(subject: Subject) -> Iterator[tuple[Case, torch.Tensor, Any]]:
    """(case, bias, the mutant's forward output) for random layers."""
    for case in cases_for(2, count=8, seed=60):
        bias = torch.tensor([LAYER_BIAS], dtype=case.X.dtype)
        layer = attempt(subject.layer_with, case.K, bias)
        if layer.ok:
            out = attempt(layer.value, case.X.clone())
            if out.ok and is_tensor(out.value):
                yield case, bias, out.value.detach()


def _bias_not_added(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    theirs = reference.function() if reference.tag != "Conv2D" else reference.modules["ex1_corr2d"].corr2d
    seen = 0
    for case, _bias, out in _forward_cases(subject):
        seen += 1
        if not close(out, theirs(case.X, case.K), case.X.dtype):
            return Verdict(False, f"the output is not the correlation alone for x {tuple(case.X.shape)}")
    return Verdict(seen > 0, f"the correlation alone on {seen} inputs")


def _ignores_weight(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    seen = 0
    for case, bias, out in _forward_cases(subject):
        other = attempt(lambda case=case, bias=bias: subject.layer_with(case.K * -2 + 1, bias)(case.X.clone()))
        if not other.ok or not is_tensor(other.value):
            continue
        seen += 1
        if not torch.equal(other.value.detach(), out):
            return Verdict(False, "another weight changes the output")
    return Verdict(seen > 0, f"the same output for two weights on {seen} inputs")


# ------------------------------------------------------------------------------------- learn_kernel


def _runs(subject: Subject) -> Iterator[tuple[loops.Task, Attempt]]:
    for task in loops.tasks():
        yield (
            task,
            seeded(subject.function(), task, kernel_size=task.kernel_size, lr=task.lr, num_epochs=task.num_epochs),
        )


def _returned(result: Attempt) -> tuple[Any, Any] | None:
    value = result.value
    return value if result.ok and isinstance(value, tuple) and len(value) == 2 else None


def _same_run(result: Attempt, kernel: torch.Tensor, losses: list[float], dtype: torch.dtype) -> bool:
    pair = _returned(result)
    if pair is None or not is_tensor(pair[0]) or not isinstance(pair[1], list) or len(pair[1]) != len(losses):
        return False
    got_losses = attempt(lambda: torch.tensor([float(v) for v in pair[1]], dtype=torch.float64))
    return (
        got_losses.ok
        and close(pair[0].reshape(kernel.shape) if pair[0].numel() == kernel.numel() else pair[0], kernel, dtype)
        and bool(
            torch.allclose(got_losses.value, torch.tensor(losses, dtype=torch.float64), rtol=LOSS_RTOL, atol=LOSS_ATOL)
        )
    )


def _follows_loop(*variants: loops.Loop) -> Verifier:
    """The mutant's kernel and losses are those of one of `variants`, on every task where that
    variant differs from the text's loop."""

    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        for variant in variants:
            telling = 0
            for task, result in _runs(subject):
                kernel, losses = loops.run_loop(task, variant)
                right_kernel, right_losses = loops.run_loop(task)
                if _same_run(Attempt((right_kernel, right_losses)), kernel, losses, task.X.dtype):
                    continue
                telling += 1
                if not _same_run(result, kernel, losses, task.X.dtype):
                    break
            else:
                if telling:
                    return Verdict(True, f"the run of {variant} on {telling} tasks")
        return Verdict(False, f"not the run of {' or '.join(str(v) for v in variants)}")

    return verify


def _leaf_inplace(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    for _task, result in _runs(subject):
        message = str(result.error or "")
        if "leaf Variable" in message and "in-place" in message:
            return Verdict(True, "autograd refuses the in-place update of the leaf weight")
    return Verdict(False, "no in-place update of a leaf while recording")


def _grad_none(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    for _task, result in _runs(subject):
        if isinstance(result.error, TypeError) and "NoneType" in str(result.error):
            return Verdict(True, "the update met a gradient that was None")
    return Verdict(False, "no update with a gradient that was None")


def _attached(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    for _task, result in _runs(subject):
        pair = _returned(result)
        if pair is not None and is_tensor(pair[0]) and pair[0].requires_grad:
            return Verdict(True, "the kernel came back still requiring grad")
    return Verdict(False, "every kernel came back detached")


def _kernel_claim(claim: Callable[[loops.Task, torch.Tensor, list[Any]], bool], what: str) -> Verifier:
    def verify(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
        for task, result in _runs(subject):
            pair = _returned(result)
            if pair is not None and is_tensor(pair[0]) and claim(task, pair[0].detach(), pair[1]):
                return Verdict(True, f"{what} for X {tuple(task.X.shape)}, kernel_size={task.kernel_size}")
        return Verdict(False, f"never {what}")

    return verify


def _untrained(task: loops.Task, kernel: torch.Tensor, losses: list[Any]) -> bool:
    initial, trained = loops.initial_kernel(task), loops.run_loop(task)[0]
    return (
        not torch.equal(initial, trained)
        and kernel.shape == initial.shape
        and torch.equal(kernel.double(), initial.double())
    )


def _hard_coded(task: loops.Task, kernel: torch.Tensor, losses: list[Any]) -> bool:
    return tuple(kernel.shape) == (1, 2) and kernel.tolist() == [[1.0, -1.0]] and tuple(task.kernel_size) != (1, 2)


def _seeded_inside(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    """The same run whatever seed the caller sets."""
    for task in loops.tasks():
        arguments = {"kernel_size": task.kernel_size, "lr": task.lr, "num_epochs": task.num_epochs}
        other = loops.Task(task.X, task.Y, task.kernel_size, task.lr, task.num_epochs, task.seed + 1000)
        first, second = seeded(subject.function(), task, **arguments), seeded(subject.function(), other, **arguments)
        pair = _returned(first)
        if pair is None or not is_tensor(pair[0]) or not isinstance(pair[1], list):
            continue
        same = _same_run(second, pair[0], [float(v) for v in pair[1]], task.X.dtype)
        return Verdict(same, "the same run under two seeds" if same else "another run under another seed")
    return Verdict(False, "no run answered")


def _other_start(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    """With no epoch it returns its starting kernel: another one than nn.Conv2d draws under the seed,
    and from that kernel the text's loop gives the mutant's losses."""
    for task in loops.tasks():
        start = _returned(seeded(subject.function(), task, kernel_size=task.kernel_size, lr=task.lr, num_epochs=0))
        if start is None or not is_tensor(start[0]) or start[0].numel() != loops.initial_kernel(task).numel():
            continue
        if close(start[0], loops.initial_kernel(task), task.X.dtype):
            return Verdict(False, "starts from the kernel nn.Conv2d draws")
        kernel, losses = loops.run_loop(task, start=start[0].detach().to(task.X.dtype))
        run = seeded(subject.function(), task, kernel_size=task.kernel_size, lr=task.lr, num_epochs=task.num_epochs)
        if _same_run(run, kernel, losses, task.X.dtype):
            return Verdict(True, "the text's loop from another starting kernel")
        return Verdict(False, "another start, and not the text's loop from it")
    return Verdict(False, "no starting kernel returned for num_epochs=0")


_OTHER_VALUES: dict[str, Callable[[Any], object]] = {
    "lr": lambda v: v * 3,
    "num_epochs": lambda v: v + 3,
    "kernel_size": lambda v: (2, 2),
}


def _parameter_ignored(subject: Subject, reference: Subject, params: dict[str, Any]) -> Verdict:
    """Called with another value of the parameter, it gives the same answer."""
    name = str(params.get("parameter", ""))
    if name not in _OTHER_VALUES:
        return Verdict(False, f"no parameter {name!r}")
    for task in loops.tasks():
        arguments = {"kernel_size": task.kernel_size, "lr": task.lr, "num_epochs": task.num_epochs}
        first = _returned(seeded(subject.function(), task, **arguments))
        changed = {**arguments, name: _OTHER_VALUES[name](arguments[name])}
        second = seeded(subject.function(), task, **changed)
        if first is None or not is_tensor(first[0]) or not isinstance(first[1], list) or not second.ok:
            continue
        same = _same_run(second, first[0], [float(v) for v in first[1]], task.X.dtype)
        return Verdict(same, f"{name}={changed[name]} gives {'the same' if same else 'another'} run")
    return Verdict(False, "no two runs answered")


VERIFIERS: dict[str, Verifier] = {
    "flipped_kernel": _with_kernel(_flip_all),
    "transposed_kernel": _with_kernel(lambda K: K.T if K.dim() == 2 else K),
    "off_by_one_short": _shape_claim(
        lambda c: tuple(v - 1 for v in c.valid), "one too small in every dimension", _all_valid_at_least(2)
    ),
    "off_by_one_long": _shape_claim(
        lambda c: tuple(v + 1 for v in c.valid), "one too large in every dimension", _all_valid_at_least(1)
    ),
    "same_size_output": _shape_claim(lambda c: tuple(c.X.shape), "the input's shape", lambda c: max(c.K.shape) > 1),
    "full_size_output": _shape_claim(
        lambda c: references.full_shape(c.X.shape, c.K.shape),
        "the full size",
        lambda c: max(c.K.shape) > 1,
    ),
    "kernel_dims_swapped": _shape_claim(
        lambda c: references.valid_shape(c.X.shape, tuple(reversed(c.K.shape))),
        "k_h and k_w swapped",
        _non_square,
    ),
    "extra_dimensions": _shape_claim(lambda c: (1, 1, *c.valid), "(1, 1, *valid)", lambda c: True),
    "transposed_output": _value_claim(_transposed, "the transposed result", lambda c: len(c.valid) >= 2),
    "mean_instead_of_sum": _value_claim(
        lambda c, expected: expected / c.K.numel(), "the mean of each window", lambda c: c.K.numel() > 1
    ),
    "last_row_or_column_missing": _last_missing,
    "square_kernels_only": _square_only,
    "fixed_dtype": _fixed_dtype,
    "fixed_device": _fixed_device,
    "mixed_devices": _fixed_device,
    "data_dependent_on_meta": _data_dependent,
    "autograd_broken": _no_gradient(None),
    "autograd_item": _no_gradient(r"\.item\("),
    "autograd_tolist": _no_gradient(r"\.tolist\("),
    "autograd_numpy": _no_gradient(r"numpy"),
    "autograd_new_tensor": _no_gradient(r"torch\.(tensor|Tensor|as_tensor)\("),
    "autograd_detach": _no_gradient(r"\.detach\(|\.data\b"),
    "input_modified": _input_modified,
    "not_a_tensor": _output_kind(lambda v: not is_tensor(v) and v is not None, "not a tensor"),
    "returned_none": _output_kind(lambda v: v is None, "None"),
    "returned_numpy": _output_kind(lambda v: isinstance(v, np.ndarray), "a NumPy array"),
    "nan_or_inf": _nan_or_inf,
    "uninitialised_output": _uninitialised,
    "too_slow": _too_slow,
    "torch_conv_used": _torch_conv,
    "layer_not_module": _layer_claim(
        lambda size, layer: None if isinstance(layer, torch.nn.Module) else type(layer).__name__, "is not a module"
    ),
    "weight_missing": _layer_claim(
        lambda size, layer: None if hasattr(layer, "weight") else "no weight", "lacks weight"
    ),
    "bias_missing": _layer_claim(lambda size, layer: None if hasattr(layer, "bias") else "no bias", "lacks bias"),
    "weight_not_parameter": _layer_claim(_not_parameter("weight"), "has a weight that is not a parameter"),
    "bias_not_parameter": _layer_claim(_not_parameter("bias"), "has a bias that is not a parameter"),
    "weight_wrong_shape": _layer_claim(_wrong_shape("weight"), "has a weight of the wrong shape"),
    "bias_wrong_shape": _layer_claim(_wrong_shape("bias"), "has a bias of the wrong shape"),
    "init_off_contract": _init_off,
    "bias_not_added": _bias_not_added,
    "forward_ignores_weight": _ignores_weight,
    "no_zero_grad": _follows_loop(loops.Loop(zero_grad=False)),
    "wrong_update_sign": _follows_loop(loops.Loop(sign=-1.0)),
    "mean_loss": _follows_loop(loops.Loop(mean=True)),
    "bias_left_on": _follows_loop(loops.Loop(bias="trained"), loops.Loop(bias="frozen")),
    "loss_after_update": _follows_loop(loops.Loop(record_after_update=True)),
    "leaf_inplace_update": _leaf_inplace,
    "grad_none_at_update": _grad_none,
    "kernel_not_detached": _attached,
    "untrained_kernel": _kernel_claim(_untrained, "the initial kernel"),
    "hard_coded_kernel": _kernel_claim(_hard_coded, "[[1, -1]]"),
    "losses_wrong_count": _kernel_claim(lambda t, k, losses: len(losses) != t.num_epochs, "a wrong number of losses"),
    "losses_not_floats": _kernel_claim(
        lambda t, k, losses: any(type(v) is not float for v in losses), "a loss that is not a float"
    ),
    "kernel_wrong_shape": _kernel_claim(
        lambda t, k, losses: tuple(k.shape) not in (tuple(t.kernel_size), (1, 1, *t.kernel_size)),
        "a kernel of another shape",
    ),
    "off_by_one_one_dimension": _one_dimension_off,
    "kernel_not_multiplied": _value_claim(
        lambda c, expected: _ones_reference(c), "the plain sums of the windows", lambda c: True
    ),
    "bias_added_twice": _bias_twice,
    "dtype_cast": _source_claim(r"\.{call}\(", _fixed_dtype),
    "numpy_on_tensor": _source_claim(r"\b(np|numpy)\.", _raises_any),
    "own_leaf_written": _source_claim(r"requires_grad\s*=\s*True", _raises_with("leaf Variable", "in-place")),
    "fourier_used": _source_claim(r"\bfft"),
    "other_optimiser": _source_claim(r"\b(optim\.\w+)"),
    "seeded_inside": _source_claim(r"manual_seed", _seeded_inside),
    "other_initial_kernel": _other_start,
    "parameter_ignored": _parameter_ignored,
    "reshape_missing": _kernel_claim(lambda t, k, losses: tuple(k.shape) == (1, 1, *t.kernel_size), "the raw weight"),
}
"""Mistakes with no entry (a GPU-only one such as not_on_input_device) are reported as unverified."""


def verify(mistake: str, mutant: Subject, reference: Subject, params: dict[str, Any]) -> Verdict | None:
    """The verdict on `mistake` for the mutant seen as exercise `mutant.tag`; None when unverified."""
    verifier = VERIFIERS.get(mistake)
    return None if verifier is None else verifier(mutant, reference, params)
