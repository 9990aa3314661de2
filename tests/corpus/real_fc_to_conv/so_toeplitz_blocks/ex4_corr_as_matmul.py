import torch


def toeplitz(c, r):
    vals = torch.cat((r, c[1:].flip(0)))
    shape = len(c), len(r)
    i, j = torch.ones(*shape).nonzero().T
    return vals[j - i].reshape(*shape)


def correlation_matrix(K, input_shape):
    k_h, k_w = K.shape
    n_h, n_w = input_shape
    out_h = n_h - k_h + 1
    results = torch.stack([
        toeplitz(
            c=torch.stack([K[r, 0], *torch.zeros(n_w - k_w)]),
            r=torch.stack([*K[r], *torch.zeros(n_w - k_w)]),
        )
        for r in range(k_h)
    ])
    # a block matrix of those Toeplitz blocks (no padding)
    blocks_h, blocks_w = out_h, n_h
    block_h, block_w = results[0].shape
    M = torch.zeros((blocks_h, block_h, blocks_w, block_w))
    for r, block in enumerate(results):
        for i in range(out_h):
            M[i, :, r + i, :] = block
    return M.view(blocks_h * block_h, blocks_w * block_w)


def correlation_input_grad(K, input_shape, grad_output):
    M = correlation_matrix(K, input_shape)
    return (M.T @ grad_output.reshape(-1)).reshape(input_shape)
