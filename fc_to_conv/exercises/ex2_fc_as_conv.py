"""Exercise 2: a convolution is a fully connected layer.

Take an image X (n_h x n_w) and a hidden representation H of the same kind, and let a fully
connected layer map one to the other with a 4-D weight: every output (i, j) has a weight for every
input pixel (k, l). The notes re-index that weight by the offset (a, b) = (k - i, l - j):

    h[i, j] = sum over k, l of w[i, j, k, l] x[k, l] = sum over a, b of v[i, j, a, b] x[i + a, j + b]

with v[i, j, a, b] = w[i, j, i + a, j + b]. Two principles then shrink the layer.
Translation invariance: a shift of X shifts H, so v must not depend on (i, j): v[i, j, a, b] = v[a, b].
Locality: h[i, j] looks only near x[i, j], so v[a, b] = 0 when |a| > delta or |b| > delta.
What is left is the cross-correlation corr2d(X, K) with a small kernel K.
Write the weight W of corr2d, its re-indexing, and the two principles as checks.
Check your work with: python -m autograder check --unit fc_to_conv --exercise fc_weight_of_kernel --exercise reindex --exercise is_translation_invariant --exercise is_local
"""

import torch


def fc_weight_of_kernel(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """The 4-D weight W of the fully connected layer that computes corr2d(X, K) exactly.

    The layer computes h[i, j] = sum over k, l of W[i, j, k, l] * X[k, l]. For corr2d, output (i, j)
    sees the window of X that starts at (i, j), so W[i, j, i + a, j + b] = K[a, b] for every kernel
    entry (a, b), and W is 0 everywhere else.

    Args:
        K: the kernel, shape (k_h, k_w).
        input_shape: (n_h, n_w), the shape of the input X.

    Returns:
        W, shape (out_h, out_w, n_h, n_w) with out_h = n_h - k_h + 1 and out_w = n_w - k_w + 1
        (the valid cross-correlation's output), in K's dtype and on K's device, differentiable
        with respect to K (build it with tensor operations on K: no .item() or .tolist()).

    Example:
        >>> K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
        >>> W = fc_weight_of_kernel(K, (3, 3))
        >>> W.shape
        torch.Size([2, 2, 3, 3])
        >>> W[0, 1]
        tensor([[0., 0., 1.],
                [0., 2., 3.],
                [0., 0., 0.]])
        >>> torch.einsum("ijkl,kl->ij", W, torch.arange(9.0).reshape(3, 3))
        tensor([[19., 25.],
                [37., 43.]])
    """
    raise NotImplementedError('Write fc_weight_of_kernel: a zero tensor of shape (out_h, out_w, n_h, n_w), then K at W[i, j, i:i + k_h, j:j + k_w] for every output (i, j).')


def reindex(W: torch.Tensor) -> torch.Tensor:
    """The notes' re-indexing v[i, j, a, b] = w[i, j, i + a, j + b]: each weight by its offset.

    The offset a = k - i runs from -(out_h - 1) to n_h - 1, and b = l - j from -(out_w - 1) to
    n_w - 1. Python indices cannot be negative, so V stores offset a at index a + out_h - 1 and b
    at index b + out_w - 1.

    Args:
        W: a weight of shape (out_h, out_w, n_h, n_w).

    Returns:
        V, shape (out_h, out_w, out_h + n_h - 1, out_w + n_w - 1), with
        V[i, j, a + out_h - 1, b + out_w - 1] = W[i, j, i + a, j + b] wherever 0 <= i + a < n_h
        and 0 <= j + b < n_w, and 0 where i + a or j + b falls outside the input.
        W's dtype and device.

    Example:
        >>> W = fc_weight_of_kernel(torch.tensor([[0.0, 1.0], [2.0, 3.0]]), (3, 3))
        >>> V = reindex(W)
        >>> V.shape
        torch.Size([2, 2, 4, 4])
        >>> V[1, 1]
        tensor([[0., 0., 0., 0.],
                [0., 0., 1., 0.],
                [0., 2., 3., 0.],
                [0., 0., 0., 0.]])
        >>> torch.equal(V[0, 0], V[1, 1])
        True
    """
    raise NotImplementedError('Write reindex: for every (i, j), copy W[i, j] into V[i, j] shifted so that offset k - i lands at index k - i + out_h - 1 (and the same for columns).')


def is_translation_invariant(W: torch.Tensor) -> bool:
    """Whether W is translation invariant: v[i, j, a, b] does not depend on (i, j).

    Args:
        W: a weight of shape (out_h, out_w, n_h, n_w).

    Returns:
        A Python bool: True iff W[i, j, k, l] depends only on the offset (k - i, l - j), that is,
        any two entries with the same offset are equal (compare exactly). Entries whose offset
        falls outside the input for some (i, j) do not exist there: they are not zeros to compare.

    Example:
        >>> W = fc_weight_of_kernel(torch.tensor([[0.0, 1.0], [2.0, 3.0]]), (3, 3))
        >>> is_translation_invariant(W)
        True
        >>> W[0, 0, 0, 0] = 5.0
        >>> is_translation_invariant(W)
        False
    """
    raise NotImplementedError('Write is_translation_invariant: compare every two entries of W with the same offset (k - i, l - j).')


def is_local(W: torch.Tensor, delta: int) -> bool:
    """Whether W is local: every output looks only at inputs within delta of it.

    Args:
        W: a weight of shape (out_h, out_w, n_h, n_w).
        delta: the largest offset allowed, an int >= 0.

    Returns:
        A Python bool: True iff W[i, j, k, l] == 0 wherever |k - i| > delta or |l - j| > delta.
        An offset of exactly delta is allowed, and offsets count in both directions.

    Example:
        >>> W = fc_weight_of_kernel(torch.tensor([[0.0, 1.0], [2.0, 3.0]]), (3, 3))
        >>> is_local(W, 1), is_local(W, 0)
        (True, False)
    """
    raise NotImplementedError('Write is_local: True iff every entry of W with |k - i| > delta or |l - j| > delta is 0.')
