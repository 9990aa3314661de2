import numpy as np
import torch
import torch.nn.functional as F


def correlation_matrix(K, input_shape):
    # the layer is linear: push every one-hot image through it, the outputs are M's columns
    dim_in = int(np.prod(input_shape))
    img_tensor = torch.eye(dim_in).reshape(dim_in, 1, *input_shape)
    out_tensor = F.conv2d(img_tensor, K.reshape(1, 1, *K.shape))
    return out_tensor.flatten(1).T


def correlation_input_grad(K, input_shape, grad_output):
    M = correlation_matrix(K, input_shape)
    return torch.matmul(M.T, grad_output.flatten()).reshape(input_shape)
