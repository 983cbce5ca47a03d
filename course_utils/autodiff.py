"""A tiny reverse-mode automatic differentiator on numpy arrays (notebook 12).

    from course_utils.autodiff import Tensor
    W, X = Tensor(W_array), Tensor(X_array)
    loss = ((W @ X).tanh() * 2 + 1).sum()
    loss.backward()            # W.grad, X.grad: d loss / d W, d loss / d X, shaped like W and X

Every operation makes a new ``Tensor`` that remembers its inputs (its *parents*) and a small
function, ``_backward(grad)``, that applies the operation's **local rule**: given the gradient of
the loss with respect to the output, it *adds* the gradient with respect to each input into that
input's ``.grad``. (The output's gradient comes in as an argument, so the function never refers
to its own node: the graph holds no reference cycles, and its arrays are freed with the loss.)
``backward()`` then visits the graph once, from the loss back to the
leaves, in reverse topological order, so a node's gradient is complete (every use has reported)
before it is passed on. Equations (notebook 12):

    (12.1)  the chain rule on a graph: dL/du = sum over the nodes v that use u of dL/dv . dv/du
            (a node used twice, "fan-out", receives both contributions: hence += , never =)
    (12.2)  add:       z = x + y    ->  dx = dz,           dy = dz
    (12.3)  multiply:  z = x * y    ->  dx = dz * y,       dy = dz * x
    (12.4)  broadcasting: an operand stretched along an axis gets its gradient summed along it
    (12.5)  matmul:    Z = X @ Y    ->  dX = dZ @ Y^T,     dY = X^T @ dZ
    (12.6)  element-wise functions: dx = dz * f'(x): tanh' = 1 - tanh^2, sigma' = sigma (1 - sigma),
            exp' = exp, log' = 1/x, relu' = [x > 0], (x^p)' = p x^(p-1)
    (12.7)  reverse topological order: every node after all the nodes that use it

The local rules for +, * and @ are also plain functions (``add_backward``, ``mul_backward``,
``matmul_backward``, ``unbroadcast``), so they can be checked on their own.
The gradients are exact gradients of whatever scalar ``backward`` is called on: the course's 1/m
rule is a convention of the hand-written backward passes, not of this differentiator.
"""

import numbers

import numpy as np

from .activations import sigmoid as _sigmoid


# ----------------------------------------------------------------------------------------------
# The local rules, as functions of arrays
# ----------------------------------------------------------------------------------------------
def unbroadcast(grad, shape):
    """Sum ``grad`` over the axes that broadcasting added or stretched, so it has ``shape``. (12.4)

    If x of shape (3, 1) was broadcast to (3, 4), every entry of x was used 4 times, once per
    column, so by the fan-out rule (12.1) its gradient is the sum of the 4 columns' gradients.
    grad: the gradient in the broadcast shape. shape: the operand's own shape.
    Returns an array of ``shape``.
    """
    shape = tuple(shape)
    while grad.ndim > len(shape):  # axes that broadcasting added in front
        grad = grad.sum(axis=0)
    for axis, n in enumerate(shape):  # axes of length 1 that broadcasting stretched
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def add_backward(dout, x, y):
    """z = x + y (with broadcasting): (dx, dy) = (dz, dz), each summed back to its shape. (12.2), (12.4)"""
    return unbroadcast(dout, np.shape(x)), unbroadcast(dout, np.shape(y))


def mul_backward(dout, x, y):
    """z = x * y (element-wise, with broadcasting): dx = dz * y, dy = dz * x, summed back. (12.3), (12.4)

    dout: the gradient with respect to z (z's shape). x, y: the two operands (arrays that
    broadcast together). Returns (dx, dy) with x's and y's shapes.
    """
    return unbroadcast(dout * y, np.shape(x)), unbroadcast(dout * x, np.shape(y))


def matmul_backward(dout, x, y):
    """Z = X @ Y: dX = dZ @ Y^T, dY = X^T @ dZ. Equation (12.5).

    Element form: Z_ij = sum_k X_ik Y_kj, so dX_ik = sum_j dZ_ij Y_kj and dY_kj = sum_i X_ik dZ_ij.
    For stacks of matrices (3-D and more, numpy's batched matmul) the rule applies to each matrix
    of the stack, and a stack dimension that was broadcast is summed back (12.4).
    dout: Z's shape. x, y: at least 2-D. Returns (dX, dY) with x's and y's shapes.
    """
    dx = dout @ np.swapaxes(y, -1, -2)
    dy = np.swapaxes(x, -1, -2) @ dout
    return unbroadcast(dx, np.shape(x)), unbroadcast(dy, np.shape(y))


# ----------------------------------------------------------------------------------------------
# The Tensor
# ----------------------------------------------------------------------------------------------
def _as_data(value, name="data"):
    if isinstance(value, Tensor):
        return value.data
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray, list, tuple)):
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(value).__name__}")
    data = np.asarray(value)
    if data.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got an array of dtype {data.dtype}")
    return data if data.dtype.kind == "f" else data.astype(np.float64)


def _check_axis(axis, ndim):
    axes = (axis,) if isinstance(axis, numbers.Integral) else axis
    if axis is not None and not (isinstance(axes, tuple) and all(
            isinstance(a, numbers.Integral) and not isinstance(a, bool) and -ndim <= a < ndim for a in axes)):
        raise ValueError(f"axis must be None, an int or a tuple of ints in [-{ndim}, {ndim}), got {axis!r}")


class Tensor:
    """An array that records how it was computed, so that ``backward`` can differentiate it.

    Tensor(data): data is an array (or a number); ``.data`` is the array (integers become float64;
    the array is never modified), ``.grad`` an array of zeros of the same shape until ``backward``
    fills it. Operators: + - * / (with a Tensor, an array or a number on either side), -x,
    x ** p (p a number), x @ y, x.T, and the methods sum, mean, exp, log, tanh, sigmoid, relu.
    Shapes broadcast as in numpy; each operand's gradient is summed back to its shape (12.4). The
    element-wise methods (exp, log, tanh, sigmoid, relu, ``**``) multiply the gradient by f'(x) (12.6).
    """

    __array_ufunc__ = None  # numpy array (op) Tensor: let the Tensor's reflected operator handle it

    def __init__(self, data, _parents=(), _op=""):
        self.data = _as_data(data)
        self.grad = np.zeros_like(self.data)
        self._parents = _parents  # the Tensors this one was computed from
        self._op = _op  # the operation that made it ("" for a leaf): for printing and drawing
        self._backward = lambda grad: None  # a leaf has no inputs to pass a gradient on to

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        made = f", made by {self._op!r}" if self._op else ""
        return f"Tensor(shape={self.data.shape}{made})"

    # -- the operations: each computes its output and attaches its local rule --------------------
    def __add__(self, other):
        other = _tensor(other)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward(grad):
            dx, dy = add_backward(grad, self.data, other.data)  # (12.2)
            self.grad += dx  # += : a node used twice gets both contributions (12.1)
            other.grad += dy

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _tensor(other)
        out = Tensor(self.data * other.data, (self, other), "*")

        def _backward(grad):
            dx, dy = mul_backward(grad, self.data, other.data)  # (12.3)
            self.grad += dx
            other.grad += dy

        out._backward = _backward
        return out

    def __matmul__(self, other):
        other = _tensor(other)
        if self.data.ndim < 2 or other.data.ndim < 2:
            raise ValueError(f"@ needs operands of at least 2 dimensions (matrices), got shapes "
                             f"{self.data.shape} and {other.data.shape}; make vectors columns, e.g. (n, 1)")
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward(grad):
            dx, dy = matmul_backward(grad, self.data, other.data)  # (12.5)
            self.grad += dx
            other.grad += dy

        out._backward = _backward
        return out

    def __truediv__(self, other):
        other = _tensor(other)
        out = Tensor(self.data / other.data, (self, other), "/")

        def _backward(grad):
            # z = x / y: dz/dx = 1 / y, dz/dy = -x / y^2
            self.grad += unbroadcast(grad / other.data, self.data.shape)
            other.grad += unbroadcast(-grad * self.data / (other.data * other.data), other.data.shape)

        out._backward = _backward
        return out

    def __pow__(self, p):
        if isinstance(p, bool) or not isinstance(p, numbers.Real):
            raise TypeError(f"x ** p needs p to be a number (a constant exponent), got {type(p).__name__}")
        out = Tensor(self.data ** p, (self,), f"**{p:g}")

        def _backward(grad):
            self.grad += grad * p * self.data ** (p - 1)  # (12.6): (x^p)' = p x^(p-1)

        out._backward = _backward
        return out

    def __sub__(self, other):
        other = _tensor(other)
        out = Tensor(self.data - other.data, (self, other), "-")

        def _backward(grad):
            dx, dy = add_backward(grad, self.data, other.data)  # z = x - y: dx = dz, dy = -dz
            self.grad += dx
            other.grad -= dy

        out._backward = _backward
        return out

    def __neg__(self):
        out = Tensor(-self.data, (self,), "neg")

        def _backward(grad):
            self.grad -= grad

        out._backward = _backward
        return out

    def __radd__(self, other):
        return _tensor(other) + self

    def __rsub__(self, other):
        return _tensor(other) - self

    def __rmul__(self, other):
        return _tensor(other) * self

    def __rtruediv__(self, other):
        return _tensor(other) / self

    def __rmatmul__(self, other):
        return _tensor(other) @ self

    @property
    def T(self):
        """The transpose (all axes reversed, as numpy's .T); its gradient is the gradient transposed."""
        out = Tensor(self.data.T, (self,), "T")

        def _backward(grad):
            self.grad += grad.T

        out._backward = _backward
        return out

    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (None: every entry). Each input entry gets the gradient of the sum it went into."""
        _check_axis(axis, self.data.ndim)
        out = Tensor(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

        def _backward(grad):
            if not keepdims and axis is not None:
                grad = np.expand_dims(grad, axis)  # put the summed axes back, as length 1
            self.grad += np.broadcast_to(grad, self.data.shape)  # sum's rule: copy the gradient back

        out._backward = _backward
        return out

    def mean(self, axis=None, keepdims=False):
        """The mean over ``axis``: the sum divided by the number of entries summed."""
        _check_axis(axis, self.data.ndim)
        total = self.sum(axis=axis, keepdims=keepdims)
        return total / (self.data.size // max(total.data.size, 1))  # the number of entries in each sum

    def _unary(self, value, local_derivative, op):
        """An element-wise function: out = f(x), with dx = dout * f'(x) (12.6). local_derivative(f(x))."""
        out = Tensor(value, (self,), op)

        def _backward(grad):
            self.grad += grad * local_derivative(value)

        out._backward = _backward
        return out

    def exp(self):
        return self._unary(np.exp(self.data), lambda e: e, "exp")  # exp' = exp

    def log(self):
        return self._unary(np.log(self.data), lambda _: 1 / self.data, "log")  # log'(x) = 1 / x

    def tanh(self):
        return self._unary(np.tanh(self.data), lambda t: 1 - t * t, "tanh")  # tanh' = 1 - tanh^2

    def sigmoid(self):
        return self._unary(_sigmoid(self.data), lambda s: s * (1 - s), "sigmoid")  # sigma' = sigma (1 - sigma)

    def relu(self):
        return self._unary(np.maximum(self.data, 0), lambda _: (self.data > 0).astype(self.data.dtype),
                           "relu")  # relu'(x) = 1 if x > 0 else 0 (relu'(0) = 0, (5.8))

    # -- the backward pass ------------------------------------------------------------------------
    def _topological_order(self):
        """Every node of the graph that made this one, each after all of its parents. (12.7)

        A depth-first search from this node, with an explicit stack (a long recurrence makes graphs
        deeper than Python's recursion limit): a node is appended once all its parents are.
        """
        order, visited, stack = [], set(), [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))
                stack.extend((parent, False) for parent in node._parents if id(parent) not in visited)
        return order

    def backward(self):
        """Fill ``.grad`` of every node of the graph with d(this scalar)/d(node). (12.1), (12.7)

        The gradients of the whole graph are first reset to zero, then this node's is set to 1 and
        every node, in reverse topological order, adds its contributions into its parents' grads.
        This Tensor must hold a single number (a loss): shape () or any shape of size 1.
        """
        if self.data.size != 1:
            raise ValueError(f"backward() needs a scalar (a loss of size 1), but this Tensor has shape "
                             f"{self.data.shape}; reduce it first, e.g. with .sum() or .mean()")
        order = self._topological_order()
        for node in order:
            node.grad = np.zeros_like(node.data)
        self.grad = np.ones_like(self.data)
        for node in reversed(order):
            node._backward(node.grad)


def _tensor(value):
    """value as a Tensor: a Tensor is returned as is, a number or an array becomes a constant leaf."""
    return value if isinstance(value, Tensor) else Tensor(value)
