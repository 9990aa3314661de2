"""Hidden suite, ex2_fc_as_conv: 20 points (fc_weight_of_kernel 8, reindex 4, is_translation_invariant 4,
is_local 4); its GPU tests count only where the instructor opts in."""

import torch

from autograder.judge import draws
from autograder.judge.marks import graded, needs_cuda, on_meta
from autograder.units.fc_to_conv.checks.ex2_fc_as_conv import (
    changed_at,
    check_invariant,
    check_local,
    check_portable,
    check_reindex,
    check_weight,
    kernel_weight,
    of_offsets,
    single,
)

NON_SQUARE = ((2, 3), (3, 2), (1, 3), (3, 1), (2, 4), (4, 2))


def drawn(label: int, dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, tuple[int, int]]:
    """A non-square kernel of drawn values and an input shape of its own drawn sizes."""
    g = draws.generator(label)
    k_h, k_w = NON_SQUARE[int(torch.randint(len(NON_SQUARE), (1,), generator=g))]
    n_h, n_w = k_h + int(torch.randint(1, 3, (1,), generator=g)), k_w + int(torch.randint(2, 4, (1,), generator=g))
    return draws.randn(k_h, k_w, label=label + 1000, dtype=dtype), (n_h, n_w)


def drawn_weight(label: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """A weight of drawn values and drawn non-square sizes, out <= n in each axis."""
    g = draws.generator(label)
    out_h, out_w = (int(s) for s in torch.randint(1, 4, (2,), generator=g))
    n_h, n_w = out_h + int(torch.randint(0, 3, (1,), generator=g)), out_w + int(torch.randint(1, 3, (1,), generator=g))
    return draws.randn(out_h, out_w, n_h, n_w, label=label + 1000, dtype=dtype)


# ------------------------------------------------------------------ fc_weight_of_kernel (8)


@graded(2, "fc_weight_of_kernel", "test.fc_weight_of_kernel.worked_example")
def test_weight_worked_example(judge):
    check_weight(judge, torch.tensor([[0.0, 1.0], [2.0, 3.0]]), (3, 3))


@graded(2, "fc_weight_of_kernel", "test.fc_weight_of_kernel.random_float32")
def test_weight_random_float32(judge):
    for label in (201, 202, 203):
        check_weight(judge, *drawn(label))


@graded(1, "fc_weight_of_kernel", "test.fc_weight_of_kernel.random_float64")
def test_weight_random_float64(judge):
    check_weight(judge, *drawn(204, torch.float64))


@graded(1, "fc_weight_of_kernel", "test.fc_weight_of_kernel.kernel_shapes")
def test_weight_kernel_shapes(judge):
    check_weight(judge, draws.randn(3, 4, label=205), (3, 4))
    check_weight(judge, draws.randn(1, 3, label=206), (4, 5))
    check_weight(judge, draws.randn(1, 1, label=207), (2, 3))


@graded(1, "fc_weight_of_kernel", "test.fc_weight_of_kernel.gradients")
def test_weight_gradients(judge):
    check_weight(judge, *drawn(208, torch.float64), grads=True)


@on_meta
@graded(1, "fc_weight_of_kernel", "test.fc_weight_of_kernel.portable")
def test_weight_portable(judge):
    check_portable(judge, "fc_weight_of_kernel", (torch.ones(2, 3), (3, 5)), "K")


@needs_cuda
@graded(2, "fc_weight_of_kernel", "test.fc_weight_of_kernel.cuda")
def test_weight_cuda(judge):
    check_weight(judge, *drawn(209), device="cuda", grads=True)


# ------------------------------------------------------------------ reindex (4)


@graded(1, "reindex", "test.reindex.worked_example")
def test_reindex_worked_example(judge):
    check_reindex(judge, kernel_weight(torch.tensor([[0.0, 1.0], [2.0, 3.0]]), (3, 3)))


@graded(1, "reindex", "test.reindex.random_float32")
def test_reindex_random_float32(judge):
    for label in (211, 212, 213):
        check_reindex(judge, drawn_weight(label))


@graded(1, "reindex", "test.reindex.random_float64")
def test_reindex_random_float64(judge):
    check_reindex(judge, drawn_weight(214, torch.float64))
    check_reindex(judge, kernel_weight(*drawn(215, torch.float64)))


@on_meta
@graded(1, "reindex", "test.reindex.portable")
def test_reindex_portable(judge):
    check_portable(judge, "reindex", (torch.ones(2, 3, 3, 5),), "W")


@needs_cuda
@graded(2, "reindex", "test.reindex.cuda")
def test_reindex_cuda(judge):
    check_reindex(judge, drawn_weight(216), device="cuda")


# ------------------------------------------------------------------ is_translation_invariant (4)


@graded(1, "is_translation_invariant", "test.is_translation_invariant.kernels")
def test_invariant_kernels(judge):
    for label in (221, 222):
        check_invariant(judge, kernel_weight(*drawn(label)))
    check_invariant(judge, torch.zeros(2, 3, 3, 5))


@graded(1, "is_translation_invariant", "test.is_translation_invariant.perturbed")
def test_invariant_perturbed(judge):
    K, n = drawn(223)
    W = kernel_weight(K, n)
    out_h, out_w = W.shape[:2]
    g = draws.generator(224)
    i, j = (int(torch.randint(s, (1,), generator=g)) for s in (out_h, out_w))
    check_invariant(judge, changed_at(W, (i, j, i, j)))
    # an entry at offset (-1, 0), which a kernel's weight holds as 0 (drawn shapes have out_h >= 2)
    check_invariant(judge, changed_at(W, (out_h - 1, out_w - 1, out_h - 2, out_w - 1)))
    # the last output's entry on the last input pixel (K[-1, -1]): loops that stop one short miss it
    check_invariant(judge, changed_at(W, (out_h - 1, out_w - 1, W.shape[2] - 1, W.shape[3] - 1)))
    # the same with a kernel at least 2 x 2, so that the input has rows and columns past the outputs'
    # (a drawn kernel one row or column wide has none): loops over the outputs' range miss them
    tall = kernel_weight(draws.randn(2, 3, label=230), (4, 5))
    check_invariant(judge, changed_at(tall, (tall.shape[0] - 1, 0, tall.shape[2] - 1, 0)))


@graded(1, "is_translation_invariant", "test.is_translation_invariant.offsets_only")
def test_invariant_offsets_only(judge):
    for label, out in ((225, (2, 3)), (226, (3, 2))):
        v = draws.randn(out[0] + 3, out[1] + 4, label=label)
        check_invariant(judge, of_offsets(v, out))


@graded(1, "is_translation_invariant", "test.is_translation_invariant.one_axis")
def test_invariant_one_axis(judge):
    W = kernel_weight(*drawn(227))
    out_h, out_w = W.shape[:2]
    steps_h, steps_w = torch.arange(1.0, out_h + 1), torch.arange(1.0, out_w + 1)
    if out_w > 1:
        check_invariant(judge, W * steps_w.reshape(1, -1, 1, 1))
    if out_h > 1:
        check_invariant(judge, W * steps_h.reshape(-1, 1, 1, 1))
    same_everywhere = draws.randn(1, 1, *W.shape[2:], label=228).expand(W.shape).contiguous()
    check_invariant(judge, same_everywhere)


@needs_cuda
@graded(2, "is_translation_invariant", "test.is_translation_invariant.cuda")
def test_invariant_cuda(judge):
    W = kernel_weight(*drawn(229))
    check_invariant(judge, W, device="cuda")
    check_invariant(judge, changed_at(W, (0, 0, 0, 0)), device="cuda")


# ------------------------------------------------------------------ is_local (4)


@graded(1, "is_local", "test.is_local.kernels")
def test_local_kernels(judge):
    for label in (231, 232):
        K, n = drawn(label)
        reach = max(K.shape) - 1
        check_local(judge, kernel_weight(K, n), reach)
        check_local(judge, kernel_weight(K, n), reach - 1)


@graded(2, "is_local", "test.is_local.boundary")
def test_local_boundary(judge):
    g = draws.generator(233)
    delta = int(torch.randint(1, 3, (1,), generator=g))
    shape = (delta + 1, delta + 2, delta + 2, delta + 3)
    value = float(draws.randn(1, label=234).abs()) + 1.0
    for a, b in ((delta, 0), (0, delta), (-delta, 0), (0, -delta), (delta, -delta)):
        i, j = max(0, -a), max(0, -b)
        W = single(shape, (i, j, i + a, j + b), value)
        check_local(judge, W, delta)
        check_local(judge, W, delta - 1)


@graded(1, "is_local", "test.is_local.dense")
def test_local_dense(judge):
    W = drawn_weight(235)
    check_local(judge, W, 0)
    check_local(judge, W, max(W.shape[2:]) - 1)
    check_local(judge, torch.zeros(2, 3, 3, 4), 0)


@needs_cuda
@graded(2, "is_local", "test.is_local.cuda")
def test_local_cuda(judge):
    K, n = drawn(236)
    check_local(judge, kernel_weight(K, n), max(K.shape) - 1, device="cuda")
    check_local(judge, kernel_weight(K, n), max(K.shape) - 2, device="cuda")
