"""练习 2：卷积就是一个全连接层。

把图像 X（n_h x n_w）和同样形状的隐藏表示 H 都看作矩阵，用一个 4-D 权重的全连接层把一个映射到
另一个：每个输出 (i, j) 对每个输入像素 (k, l) 都有一个权重。笔记按偏移 (a, b) = (k - i, l - j)
重新索引这个权重：

    h[i, j] = 对 k, l 求和 w[i, j, k, l] x[k, l] = 对 a, b 求和 v[i, j, a, b] x[i + a, j + b]

其中 v[i, j, a, b] = w[i, j, i + a, j + b]。两条原则随后让这一层缩小。
平移不变性：X 平移导致 H 平移，所以 v 不应依赖于 (i, j)：v[i, j, a, b] = v[a, b]。
局部性：h[i, j] 只看 x[i, j] 附近，所以当 |a| > delta 或 |b| > delta 时 v[a, b] = 0。
剩下的就是与一个小卷积核 K 的互相关 corr2d(X, K)。
请写出 corr2d 的权重 W、它的重新索引，以及检验这两条原则的函数。
检查你的代码：python -m autograder check --unit fc_to_conv --exercise fc_weight_of_kernel --exercise reindex --exercise is_translation_invariant --exercise is_local
"""

import torch


def fc_weight_of_kernel(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """恰好计算 corr2d(X, K) 的全连接层的 4-D 权重 W。

    该层计算 h[i, j] = 对 k, l 求和 W[i, j, k, l] * X[k, l]。对 corr2d 而言，输出 (i, j) 看到的是
    X 中从 (i, j) 开始的窗口，因此对卷积核的每个元素 (a, b) 有 W[i, j, i + a, j + b] = K[a, b]，
    其余位置的 W 都为 0。

    参数：
        K: 卷积核，形状为 (k_h, k_w)。
        input_shape: (n_h, n_w)，输入 X 的形状。

    返回：
        W，形状为 (out_h, out_w, n_h, n_w)，其中 out_h = n_h - k_h + 1，out_w = n_w - k_w + 1
        （valid 互相关输出的形状）；dtype 与 K 相同，位于 K 所在的设备上，并且对 K 可微
        （用对 K 的张量运算构造：不要用 .item() 或 .tolist()）。

    示例：
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
    raise NotImplementedError('请实现 fc_weight_of_kernel：先建一个形状为 (out_h, out_w, n_h, n_w) 的零张量，再对每个输出 (i, j) 令 W[i, j, i:i + k_h, j:j + k_w] = K。')


def reindex(W: torch.Tensor) -> torch.Tensor:
    """笔记中的重新索引 v[i, j, a, b] = w[i, j, i + a, j + b]：按偏移排列每个权重。

    偏移 a = k - i 的范围是 -(out_h - 1) 到 n_h - 1，b = l - j 的范围是 -(out_w - 1) 到 n_w - 1。
    Python 的下标不能为负，所以 V 把偏移 a 存在下标 a + out_h - 1 处，把 b 存在下标 b + out_w - 1 处。

    参数：
        W: 形状为 (out_h, out_w, n_h, n_w) 的权重。

    返回：
        V，形状为 (out_h, out_w, out_h + n_h - 1, out_w + n_w - 1)，其中当 0 <= i + a < n_h 且
        0 <= j + b < n_w 时 V[i, j, a + out_h - 1, b + out_w - 1] = W[i, j, i + a, j + b]；
        i + a 或 j + b 落在输入之外时为 0。dtype 和设备与 W 相同。

    示例：
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
    raise NotImplementedError('请实现 reindex：对每个 (i, j)，把 W[i, j] 平移后复制到 V[i, j] 中，使偏移 k - i 落在下标 k - i + out_h - 1 处（列方向同理）。')


def is_translation_invariant(W: torch.Tensor) -> bool:
    """判断 W 是否具有平移不变性：v[i, j, a, b] 不依赖于 (i, j)。

    参数：
        W: 形状为 (out_h, out_w, n_h, n_w) 的权重。

    返回：
        Python 的 bool：当且仅当 W[i, j, k, l] 只取决于偏移 (k - i, l - j)，即任意两个偏移相同的
        元素都相等（精确比较）时为 True。对某个 (i, j) 而言落在输入之外的偏移在那里并不存在：
        它们不是可以拿来比较的零。

    示例：
        >>> W = fc_weight_of_kernel(torch.tensor([[0.0, 1.0], [2.0, 3.0]]), (3, 3))
        >>> is_translation_invariant(W)
        True
        >>> W[0, 0, 0, 0] = 5.0
        >>> is_translation_invariant(W)
        False
    """
    raise NotImplementedError('请实现 is_translation_invariant：比较 W 中每两个偏移 (k - i, l - j) 相同的元素。')


def is_local(W: torch.Tensor, delta: int) -> bool:
    """判断 W 是否具有局部性：每个输出只看与它相距不超过 delta 的输入。

    参数：
        W: 形状为 (out_h, out_w, n_h, n_w) 的权重。
        delta: 允许的最大偏移，一个 >= 0 的 int。

    返回：
        Python 的 bool：当且仅当在 |k - i| > delta 或 |l - j| > delta 的所有位置上
        W[i, j, k, l] == 0 时为 True。偏移恰好等于 delta 是允许的，两个方向的偏移都要算。

    示例：
        >>> W = fc_weight_of_kernel(torch.tensor([[0.0, 1.0], [2.0, 3.0]]), (3, 3))
        >>> is_local(W, 1), is_local(W, 0)
        (True, False)
    """
    raise NotImplementedError('请实现 is_local：当且仅当 W 中所有 |k - i| > delta 或 |l - j| > delta 的元素都为 0 时返回 True。')
