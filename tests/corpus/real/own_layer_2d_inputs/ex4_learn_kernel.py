from ex2_conv2d import Conv2D


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    """用自定义的卷积层: the layer of exercise 2 works on 2-D tensors directly, no reshape needed."""
    layer = Conv2D(kernel_size)
    losses = []
    for _ in range(num_epochs):
        l = (layer(X) - Y) ** 2
        losses.append(l.sum().item())
        layer.zero_grad()
        l.sum().backward()
        layer.weight.data[:] -= lr * layer.weight.grad
    return layer.weight.data, losses
