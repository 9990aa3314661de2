import torch
import torch.nn.functional as F


def correlation_matrix(K, input_shape):
    n_h, n_w = input_shape
    n = n_h * n_w
    # im2col of every one-hot image: cols[p, q, o] = input p seen by kernel tap q at output o
    basis = torch.eye(n, dtype=K.dtype, device=K.device).reshape(n, 1, n_h, n_w)
    cols = F.unfold(basis, kernel_size=K.shape)
    return torch.einsum("q,pqo->op", K.reshape(-1), cols)


def correlation_input_grad(K, input_shape, grad_output):
    # col2im: each output's gradient spread back over the window it came from
    cols = K.reshape(-1, 1) * grad_output.reshape(1, -1)
    return F.fold(cols.unsqueeze(0), output_size=tuple(input_shape), kernel_size=K.shape)[0, 0]
