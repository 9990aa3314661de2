import numpy as np
import torch
from scipy import linalg


def toeplitz_1_ch(kernel, input_size):
    k_h, k_w = kernel.shape
    i_h, i_w = input_size
    o_h, o_w = i_h - k_h + 1, i_w - k_w + 1
    # one 1-D Toeplitz matrix per kernel row
    blocks = []
    for r in range(k_h):
        blocks.append(linalg.toeplitz(c=(kernel[r, 0], *np.zeros(i_w - k_w)), r=(*kernel[r], *np.zeros(i_w - k_w))))
    h_blocks, w_blocks = o_h, i_h
    h_block, w_block = blocks[0].shape
    W_conv = np.zeros((h_blocks, h_block, w_blocks, w_block))
    for i, B in enumerate(blocks):
        for j in range(o_h):
            W_conv[j, :, i + j, :] = B
    W_conv.shape = (h_blocks * h_block, w_blocks * w_block)
    return W_conv


def correlation_matrix(K, input_shape):
    return torch.from_numpy(toeplitz_1_ch(K.detach().numpy(), input_shape))


def correlation_input_grad(K, input_shape, grad_output):
    W = toeplitz_1_ch(K.detach().numpy(), input_shape)
    g = W.T.dot(grad_output.detach().numpy().flatten())
    return torch.from_numpy(g.reshape(input_shape))
