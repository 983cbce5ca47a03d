"""course_utils: the reference code of the course "Demystifying Deep Learning".

The core maths (activations, losses, layers, network, gradcheck, training, metrics, and the later
parts' modules optim, regularisation, conv, rnn, autodiff) imports only numpy. Plotting and
widgets import matplotlib/ipywidgets, so they are separate modules: ``from course_utils import
plotting`` or ``from course_utils.widgets import ...``. Exercise checks: ``course_utils.exercises``.
"""

# the later parts, as modules: cu.conv.conv_forward, cu.optim.update_parameters_with_adam, ...
from . import autodiff, bugs, conv, optim, regularisation, rnn
from .activations import (
    activation_backward,
    activation_forward,
    identity,
    identity_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_backward,
    tanh,
    tanh_derivative,
)
from .datasets import (
    Standardizer,
    load_breast_cancer,
    load_diabetes,
    load_digits,
    make_circles,
    make_moons,
    make_regression_1d,
    make_spirals,
    make_xor,
    one_hot,
    train_test_split,
)
from .gradcheck import (
    WorstEntry,
    check_array_gradient,
    check_update_step,
    compare_gradients,
    gradient_check_network,
    gradient_tolerance,
    numerical_gradient,
    relative_error,
    relative_errors,
    worst_entry,
)
from .layers import linear_backward, linear_forward
from .losses import (
    binary_cross_entropy,
    categorical_cross_entropy,
    compute_cost,
    cost_from_logits,
    half_mean_squared_error,
)
from .metrics import accuracy, confusion_matrix, f1_score, precision_recall_f1
from .network import (
    backpropagation,
    forward_propagation,
    initialize_parameters,
    predict,
    update_parameters,
)
from .regularisation import dropout_backward, dropout_forward, penalty_cost, penalty_gradient
from .training import train, train_with

__version__ = "0.1.0"

__all__ = [name for name in dir() if not name.startswith("_")]
